from . import repeat_sales_partner_stat
from . import base_partner_merge_automatic_wizard
from . import postgres_settings
