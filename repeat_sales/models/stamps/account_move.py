# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    """Credit notes take back the stamps of the share of the order they refund."""

    _inherit = "account.move"

    def _repeat_refunded_orders(self):
        refunds = self.filtered(lambda move: move.move_type == "out_refund")
        return refunds.line_ids.sale_line_ids.order_id

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._repeat_refunded_orders()._repeat_sync_stamps()
        return posted

    def button_draft(self):
        orders = self._repeat_refunded_orders()
        result = super().button_draft()
        orders._repeat_sync_stamps()
        return result

    def button_cancel(self):
        orders = self._repeat_refunded_orders()
        result = super().button_cancel()
        orders._repeat_sync_stamps()
        return result
