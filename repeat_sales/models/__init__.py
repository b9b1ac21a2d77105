from . import repeat_sales_partner_stat
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import base_partner_merge_automatic_wizard
