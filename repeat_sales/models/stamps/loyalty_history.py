# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class LoyaltyHistory(models.Model):
    """A stamp card's history rows are its ledger movements: they stay."""

    _inherit = "loyalty.history"

    def unlink(self):
        # sale_loyalty deletes an order's history rows when it is cancelled;
        # a stamp movement is never deleted (the cancel posts a reverse line).
        # sudo: only which rows are the ledger's is read.
        ledger = (
            self.env["repeat.sales.stamp.line"]
            .sudo()
            .search([("history_id", "in", self.ids)])
        )
        return super(LoyaltyHistory, self - ledger.history_id).unlink()
