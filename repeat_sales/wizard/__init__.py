from . import repeat_sales_gift_wizard
