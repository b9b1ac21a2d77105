from . import revenue
from . import reactivation
from . import campaigns
from . import offers
from . import stamps
from . import value
from . import coupons
from . import repeat_sales_report_tables
