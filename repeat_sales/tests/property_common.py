# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the property tests share: hypothesis, when installed, and its settings."""

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is in requirements-dev.txt
    HealthCheck = given = settings = st = None


def property_settings(max_examples):
    """Reproducible runs of ``max_examples`` examples, each in a rolled-back
    savepoint of the test's transaction (hence the function-scoped fixture)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
        ],
    )
