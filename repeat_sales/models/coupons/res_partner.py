# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """The customer's personal coupons, a smart button away."""

    _inherit = "res.partner"

    repeat_coupon_count = fields.Integer(
        string="Coupons", compute="_compute_repeat_coupon_count"
    )

    def _compute_repeat_coupon_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("program_type", "=", "coupons"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.repeat_coupon_count = counts.get(partner.commercial_partner_id, 0)

    def action_repeat_view_coupons(self):
        """The customer's coupons: valid, used or expired."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_coupon_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("program_type", "=", "coupons"),
        ]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
