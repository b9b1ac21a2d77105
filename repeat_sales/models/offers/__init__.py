from . import repeat_sales_offer_rule
from . import repeat_sales_offer_mining
from . import repeat_sales_offer
from . import sale_order
