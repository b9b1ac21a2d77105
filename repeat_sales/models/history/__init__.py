from . import repeat_sales_segment_snapshot
from . import repeat_sales_segment_move
