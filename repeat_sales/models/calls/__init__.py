from . import repeat_sales_call_reason
from . import repeat_sales_lost_reason
from . import repeat_sales_call_script
from . import repeat_sales_call
from . import repeat_sales_call_outcome
