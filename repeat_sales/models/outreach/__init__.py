from . import repeat_sales_outreach
