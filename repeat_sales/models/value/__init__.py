from . import res_company
from . import res_config_settings
from . import repeat_sales_partner_stat
from . import repeat_sales_value_fit
from . import repeat_sales_value_fit_nightly
