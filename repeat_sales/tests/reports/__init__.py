from . import test_repeat_revenue_reports
from . import test_reactivation_reports
from . import test_dashboard_tour
from . import test_screens_report_totals
from . import test_screens_report_menus
