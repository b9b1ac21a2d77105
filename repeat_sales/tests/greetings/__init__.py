from . import test_greetings
