from . import repeat_sales_campaign
from . import repeat_sales_campaign_member
from . import mail_activity
