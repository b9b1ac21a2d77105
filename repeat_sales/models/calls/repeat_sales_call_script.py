# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.repeat_sales_partner_stat import SEGMENTS


class RepeatSalesCallScript(models.Model):
    """The first and third parts of the reactivation call, per segment.

    The second part, the reason for the call, is chosen on each call among the
    company's current call reasons.
    """

    _name = "repeat.sales.call.script"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Reactivation Call Script"
    _order = "company_id, segment"
    _rec_name = "segment"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    segment = fields.Selection(
        SEGMENTS + [("all", "Every Segment")], required=True, default="all"
    )
    opening = fields.Html(
        string="1. Ask",
        translate=True,
        help="Greet the customer by name, ask how they are, whether everything was "
        "fine with the last purchase and why they have not come for a while.",
    )
    urgency = fields.Html(
        string="3. A Reason to Come Soon",
        translate=True,
        help="Limited stock, a preview for best customers, an offer ending on a date.",
    )

    @api.constrains("company_id", "segment")
    def _check_one_script_per_segment(self):
        duplicates = self._read_group(
            [("company_id", "in", self.company_id.ids)],
            groupby=["company_id", "segment"],
            aggregates=["__count"],
            having=[("__count", ">", 1)],
        )
        if duplicates:
            raise ValidationError(_("A company has one call script per segment."))
