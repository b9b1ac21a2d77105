# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    repeat_hot_days = fields.Integer(
        string="Hot Up To (Days)",
        default=30,
        help="A customer whose last order is at most this many days old is hot.",
    )
    repeat_warm_days = fields.Integer(
        string="Warm Up To (Days)",
        default=120,
        help="A customer whose last order is older than the hot threshold and at "
        "most this many days old is warm; older ones are sleeping.",
    )

    @api.constrains("repeat_hot_days", "repeat_warm_days")
    def _check_repeat_thresholds(self):
        for company in self:
            if company.repeat_hot_days <= 0 or company.repeat_warm_days <= 0:
                raise ValidationError(
                    _(
                        "The hot and warm thresholds of %(company)s must be a "
                        "positive number of days.",
                        company=company.display_name,
                    )
                )
            if company.repeat_hot_days >= company.repeat_warm_days:
                raise ValidationError(
                    _(
                        "The hot threshold of %(company)s (%(hot)s days) must be "
                        "shorter than its warm threshold (%(warm)s days).",
                        company=company.display_name,
                        hot=company.repeat_hot_days,
                        warm=company.repeat_warm_days,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"repeat_hot_days", "repeat_warm_days"} & vals.keys():
            self.env["repeat.sales.partner.stat"].sudo()._recompute_company_segments(self)
        return result
