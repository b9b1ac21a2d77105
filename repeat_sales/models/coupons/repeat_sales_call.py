# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


# A call may give the customer reached a personal coupon; the dialog shows the
# customer's valid coupons to mention.
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesCall(models.Model):
    _name = "repeat.sales.call"
    _inherit = ["repeat.sales.call", "repeat.sales.coupon.offer"]

    coupon_program_id = fields.Many2one(
        help="Give the customer, when they answer, a personal coupon of this "
        "program; its code is noted on the customer."
    )
    repeat_coupon_ids = fields.One2many(
        "loyalty.card", "repeat_call_id", string="Coupon Given", readonly=True
    )
    customer_coupon_ids = fields.Many2many(
        "loyalty.card",
        compute="_compute_customer_coupon_ids",
        string="Valid Coupons",
        help="The customer's personal coupons still valid: a reason to order soon.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_customer_coupon_ids(self):
        coupons = self.env["loyalty.card"]._repeat_valid_coupons(
            self.partner_id, self.company_id
        )
        for call in self:
            call.customer_coupon_ids = coupons.filtered(
                lambda card, call=call: (
                    card.partner_id == call.partner_id
                    and card.company_id in (call.company_id, card.company_id.browse())
                )
            )
