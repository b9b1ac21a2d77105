from . import repeat_sales_order_report
from . import repeat_sales_cohort_report
from . import repeat_sales_reactivation_report
from . import repeat_sales_sleeping_cost_report
from . import repeat_sales_salesperson_report
from . import repeat_sales_campaign_report
from . import repeat_sales_stamp_report
from . import repeat_sales_tier_report
