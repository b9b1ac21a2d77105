from . import repeat_sales_campaign_report
