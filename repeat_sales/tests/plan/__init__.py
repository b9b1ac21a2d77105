from . import test_followup_plan
from . import test_screens_my_followups
from . import test_rhythm_steps
