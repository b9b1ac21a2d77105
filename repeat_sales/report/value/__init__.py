from . import repeat_sales_value_report
