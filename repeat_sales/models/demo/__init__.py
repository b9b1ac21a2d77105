from . import repeat_sales_demo
