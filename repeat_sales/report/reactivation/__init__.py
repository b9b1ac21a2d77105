from . import repeat_sales_reactivation_report
from . import repeat_sales_sleeping_cost_report
from . import repeat_sales_salesperson_report
