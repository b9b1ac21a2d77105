# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


# pylint: disable=consider-merging-classes-inherited
class SaleOrder(models.Model):
    """The customer's valid coupons on the quotation, each applied in one
    click through Odoo's own coupon flow (``loyalty.card.action_repeat_apply``)."""

    _inherit = "sale.order"

    repeat_coupon_ids = fields.Many2many(
        "loyalty.card",
        compute="_compute_repeat_coupon_ids",
        string="Customer's Coupons",
        help="The customer's valid coupons not applied to this order yet.",
    )

    @api.depends("partner_id", "company_id", "applied_coupon_ids", "state")
    def _compute_repeat_coupon_ids(self):
        drafts = self.filtered(lambda order: order.state in ("draft", "sent"))
        coupons = self.env["loyalty.card"]._repeat_valid_coupons(
            drafts.partner_id, drafts.company_id
        )
        for order in self:
            order.repeat_coupon_ids = (
                coupons.filtered(
                    lambda card, order=order: (
                        card.partner_id == order.partner_id.commercial_partner_id
                        and card.company_id
                        in (order.company_id, self.env["res.company"])
                        and card not in order.applied_coupon_ids
                    )
                )
                if order in drafts
                else False
            )
