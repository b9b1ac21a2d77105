# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        commercial_partners = partners.commercial_partner_id
        result = super()._merge(partner_ids, dst_partner, extra_checks)
        # The merge moves orders in SQL and deletes the merged partners (their
        # figures go with them); the surviving customer is recomputed in full.
        survivors = (partners | commercial_partners).exists()
        self.env["repeat.sales.partner.stat"]._recompute_partners(survivors)
        return result
