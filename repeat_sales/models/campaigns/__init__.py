from . import repeat_sales_campaign
from . import repeat_sales_campaign_member
