from . import test_nightly_chain
from . import test_killed_nightly_chain
