from . import repeat_sales_stamp_report
from . import repeat_sales_tier_report
