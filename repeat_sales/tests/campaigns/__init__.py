from . import test_campaigns
