from . import test_segment_history
