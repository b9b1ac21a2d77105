from . import repeat_sales_bonus_figures
from . import repeat_sales_bonus_scale
from . import repeat_sales_bonus_period
from . import repeat_sales_competition
from . import repeat_sales_competition_line
from . import repeat_sales_demo
