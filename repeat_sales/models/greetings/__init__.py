from . import res_partner
from . import repeat_sales_occasion
from . import repeat_sales_greeting
from . import repeat_sales_partner_stat
