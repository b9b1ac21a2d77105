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

    repeat_value_refit_days = fields.Integer(
        string="Customer Value: Refit Every (Days)",
        default=7,
        help="How many days the value model's parameters are kept: 1 refits "
        "them every night. The nights between, the customers whose orders "
        "changed are scored with the kept parameters.",
    )

    @api.constrains("repeat_value_refit_days")
    def _check_repeat_value_refit_days(self):
        for company in self:
            if not 1 <= company.repeat_value_refit_days <= 90:
                raise ValidationError(
                    self.env._(
                        "The value model of %(company)s is refitted every 1 to 90 "
                        "days.",
                        company=company.display_name,
                    )
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
