from . import test_offer_mining
from . import test_offer_generation
from . import test_offer_lifecycle
from . import test_offer_access
from . import test_offer_channels
from . import test_offer_add_tour
