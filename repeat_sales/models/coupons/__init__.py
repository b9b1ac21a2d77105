from . import repeat_sales_coupon_offer
from . import loyalty_card
from . import repeat_sales_followup_step
from . import repeat_sales_campaign
from . import repeat_sales_call
from . import repeat_sales_call_outcome
from . import res_partner
from . import sale_order
