# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError

FROZEN_LIMITS = {"min_p_alive", "max_p_alive", "min_clv_12m"}


# The value part's limits on a campaign's customers.
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesCampaign(models.Model):
    _name = "repeat.sales.campaign"
    _inherit = ["repeat.sales.campaign", "repeat.sales.value.selection"]

    def write(self, vals):
        if FROZEN_LIMITS & vals.keys() and any(c.state != "draft" for c in self):
            raise UserError(
                self.env._(
                    "The customers and the control group of a started campaign "
                    "are fixed."
                )
            )
        return super().write(vals)

    def _customer_domain(self):
        # Searched with the campaign's company (action_start): its figures.
        return super()._customer_domain() + self._value_partner_domain()
