from . import test_coupons_given
from . import test_coupons_used
from . import test_coupons_killed
