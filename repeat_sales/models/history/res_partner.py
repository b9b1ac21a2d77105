# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    """A customer's salesperson or commercial entity changed: the segment
    snapshot's next night reads it again (its orders were not written)."""

    _inherit = "res.partner"

    def write(self, vals):
        moves = {"parent_id", "is_company"} & vals.keys()
        before = self.commercial_partner_id if moves else self.browse()
        result = super().write(vals)
        if moves or "user_id" in vals:
            self.env["repeat.sales.segment.snapshot"]._queue_customers(
                before | self.commercial_partner_id
            )
        return result
