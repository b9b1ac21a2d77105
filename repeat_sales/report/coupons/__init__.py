from . import repeat_sales_coupon_report
