from . import test_customer_figures
from . import test_segments
from . import test_figures_follow_changes
from . import test_partner_views
from . import test_followup_plan
from . import test_reactivation_calls
from . import test_call_from_activity_tour
from . import test_translations
