from . import repeat_sales_order_report
from . import repeat_sales_cohort_report
from . import repeat_sales_cohort_report_refresh
