from . import test_hardening_new_company
