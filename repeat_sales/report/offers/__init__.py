from . import repeat_sales_offer_report
from . import repeat_sales_offer_rule_report
