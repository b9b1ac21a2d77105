from . import sale_order  # the hooks, before the parts that extend them
from . import repeat_sales_input_guard
from . import repeat_sales_report_mixin
from . import engine
from . import res_company
from . import res_config_settings
from . import res_partner
from . import history
from . import outreach
from . import plan
from . import calls
from . import campaigns
from . import stamps
from . import offers
from . import nightly
from . import demo
from . import value
from . import repeat_sales_run_now
