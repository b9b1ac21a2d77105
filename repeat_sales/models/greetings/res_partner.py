# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part extending the contact: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.tools.sql import create_index

from .greeting_queue import BIRTHDAY_KEY_INDEX, day_key_index_expression


class ResPartner(models.Model):
    """The contact's birthday, which Odoo Community does not keep."""

    _inherit = "res.partner"

    birthday = fields.Date(
        help="The customer gets the birthday greeting of each company they buy "
        "from on this day every year.",
    )

    def init(self):
        res = super().init()
        # The greetings' night reads the contacts born on the days of its
        # window through the birthday's day of the year; the index holds only
        # the contacts with a birthday.
        create_index(
            self.env.cr,
            BIRTHDAY_KEY_INDEX,
            self._table,
            [day_key_index_expression("birthday")],
            where="birthday IS NOT NULL",
        )
        return res
