from . import test_value_cdnow
from . import test_value_bad_input
from . import test_value_selection
from . import test_value_report
from . import test_value_check
