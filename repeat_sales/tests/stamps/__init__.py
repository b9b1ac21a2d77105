from . import test_loyalty_earning
from . import test_loyalty_tiers
from . import test_loyalty_redemption
from . import test_loyalty_expiry
from . import test_loyalty_access
from . import test_loyalty_concurrency
from . import test_property_stamps
