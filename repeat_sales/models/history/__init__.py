from . import repeat_sales_segment_snapshot
from . import repeat_sales_segment_snapshot_daily
from . import repeat_sales_segment_move
