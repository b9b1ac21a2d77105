# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part extending the engine's figures: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.tools.sql import create_index

from .greeting_queue import FIRST_ORDER_KEY_INDEX, day_key_index_expression


class RepeatSalesPartnerStat(models.Model):
    """The index through which the greetings find the anniversaries."""

    _inherit = "repeat.sales.partner.stat"

    def init(self):
        res = super().init()
        # The greetings' night reads the customers whose first order fell on
        # the days of its window through the day of the year of the engine's
        # first order date. The first order date seldom changes: the daily
        # moves between segments stay heap-only updates.
        create_index(
            self.env.cr,
            FIRST_ORDER_KEY_INDEX,
            self._table,
            [day_key_index_expression("first_order_date")],
        )
        return res
