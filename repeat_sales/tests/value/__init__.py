from . import test_value_cdnow
from . import test_value_bad_input
