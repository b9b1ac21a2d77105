from . import test_bonus_article
from . import test_bonus_figures
from . import test_bonus_access
