from . import test_repeat_revenue_reports
from . import test_reactivation_reports
from . import test_dashboard_tour
