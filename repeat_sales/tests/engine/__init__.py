from . import test_customer_figures
from . import test_segments
from . import test_daily_update
from . import test_figures_follow_changes
from . import test_partner_views
from . import test_property_figures
from . import test_order_facts
