# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


# The value part's setting lives in the part's folder with the rest of it;
# pylint-odoo would have one class per inherited model in the addon.
# pylint: disable=consider-merging-classes-inherited
class ResCompany(models.Model):
    _inherit = "res.company"

    repeat_value_discount_rate = fields.Float(
        string="Customer Value: Yearly Discount Rate (%)",
        default=10.0,
        digits=(16, 1),
        help="Discounts the orders expected in later months when the value of a "
        "customer over the next 12 months is computed.",
    )

    @api.constrains("repeat_value_discount_rate")
    def _check_repeat_value_discount_rate(self):
        for company in self:
            if not 0 <= company.repeat_value_discount_rate < 100:
                raise ValidationError(
                    self.env._(
                        "The yearly discount rate of %(company)s must be at least 0 "
                        "and below 100%%.",
                        company=company.display_name,
                    )
                )
