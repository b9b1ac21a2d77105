from . import test_followup_plan
