# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


# pylint: disable=consider-merging-classes-inherited
class MergePartnerAutomatic(models.TransientModel):
    """A merge moves orders in SQL and deletes the merged partners: the
    segment snapshot's next night reads all of them again."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        self.env["repeat.sales.segment.snapshot"]._queue_customers(
            partners | partners.commercial_partner_id
        )
        return super()._merge(partner_ids, dst_partner, extra_checks)
