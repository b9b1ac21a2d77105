from . import test_demo_data
from . import test_demo_tours
from . import test_demo_report_totals
