from . import order_facts
from . import repeat_sales_partner_stat
from . import repeat_sales_partner_stat_store
from . import repeat_sales_partner_stat_daily
from . import sale_order
from . import base_partner_merge_automatic_wizard
