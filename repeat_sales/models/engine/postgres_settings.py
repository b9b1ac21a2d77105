# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo.tools import SQL


@contextmanager
def local_settings(cr, settings):
    """PostgreSQL ``settings`` (name: value) for the statements of the block.

    Set for the current transaction only, and the previous values are restored
    after the block: later statements of the same transaction run as before.
    """
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(SQL("current_setting(%s)", name) for name in settings),
        )
    )
    previous = dict(zip(settings, cr.fetchone(), strict=True))

    def apply(values):
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value)
                    for name, value in values.items()
                ),
            )
        )

    apply(settings)
    try:
        yield
    finally:
        apply(previous)
