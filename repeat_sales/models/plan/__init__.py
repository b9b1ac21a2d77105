from . import repeat_sales_followup_step
from . import repeat_sales_followup
from . import mail_activity
from . import sale_order
