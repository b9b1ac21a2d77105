from . import repeat_sales_nightly_step
