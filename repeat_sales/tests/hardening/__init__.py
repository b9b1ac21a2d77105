from . import test_hardening_access
from . import test_hardening_input
from . import test_hardening_new_company
