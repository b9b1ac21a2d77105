# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    repeat_gift_id = fields.Many2one(
        "loyalty.reward",
        string="Stamp Gift",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The free gift this line gives for a full stamp card; the stamps are "
        "deducted when the order is confirmed.",
    )

    def _compute_price_unit(self):
        # A gift stays free whatever the pricelist or quantity.
        gifts = self.filtered("repeat_gift_id")
        gifts.price_unit = 0.0
        return super(SaleOrderLine, self - gifts)._compute_price_unit()
