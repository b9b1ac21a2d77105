from . import repeat_sales_call_reason
from . import repeat_sales_lost_reason
from . import repeat_sales_call_script
from . import repeat_sales_call
from . import sale_order
from . import repeat_sales_call_outcome
