# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RepeatSalesCallReason(models.Model):
    """Why we call: the second part of the reactivation call script."""

    _name = "repeat.sales.call.reason"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Reason for a Reactivation Call"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    script = fields.Html(
        translate=True,
        help="What the salesperson says to give the reason for the call.",
    )
