from . import revenue
from . import reactivation
from . import campaigns
from . import offers
from . import stamps
from . import value
from . import coupons
