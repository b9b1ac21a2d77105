from . import test_outreach
