from . import repeat_sales_segment_snapshot
from . import repeat_sales_segment_snapshot_daily
from . import repeat_sales_segment_snapshot_changes
from . import repeat_sales_segment_move
from . import res_partner
from . import base_partner_merge_automatic_wizard
