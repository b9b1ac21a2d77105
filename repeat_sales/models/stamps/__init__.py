from . import repeat_sales_loyalty_tier
from . import loyalty_program
from . import loyalty_reward
from . import loyalty_card
from . import repeat_sales_stamp_line
from . import sale_order_line
from . import account_move
from . import loyalty_history
