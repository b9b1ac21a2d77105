from . import test_reactivation_calls
from . import test_call_from_activity_tour
from . import test_call_outcomes
from . import test_call_screens
