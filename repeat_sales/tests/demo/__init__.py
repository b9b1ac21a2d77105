from . import test_demo_data
from . import test_demo_tours
from . import test_demo_report_totals
from . import test_demo_program_report_totals
