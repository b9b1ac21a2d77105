# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Not related fields: a related field writes each threshold on its own, so
    # moving both (30/120 -> 150/300) would fail half way on "hot < warm".
    repeat_hot_days = fields.Integer(
        string="Hot Up To (Days)",
        help="A customer whose last order is at most this many days old is hot.",
    )
    repeat_warm_days = fields.Integer(
        string="Warm Up To (Days)",
        help="Older than hot and at most this many days old: warm. Older: sleeping.",
    )

    repeat_followup_user_id = fields.Many2one(
        related="company_id.repeat_followup_user_id", readonly=False
    )
    repeat_followup_catch_up_days = fields.Integer(
        related="company_id.repeat_followup_catch_up_days", readonly=False
    )

    repeat_call_retry_days = fields.Integer(
        related="company_id.repeat_call_retry_days", readonly=False
    )
    repeat_call_max_attempts = fields.Integer(
        related="company_id.repeat_call_max_attempts", readonly=False
    )
    repeat_call_attribution_days = fields.Integer(
        related="company_id.repeat_call_attribution_days", readonly=False
    )
    repeat_complaint_user_id = fields.Many2one(
        related="company_id.repeat_complaint_user_id", readonly=False
    )

    repeat_call_later_days = fields.Integer(
        related="company_id.repeat_call_later_days", readonly=False
    )
    repeat_call_wrong_number_days = fields.Integer(
        related="company_id.repeat_call_wrong_number_days", readonly=False
    )
    repeat_complaint_days = fields.Integer(
        related="company_id.repeat_complaint_days", readonly=False
    )

    repeat_default_return_rate = fields.Float(
        related="company_id.repeat_default_return_rate", readonly=False
    )
    repeat_return_rate_min_contacts = fields.Integer(
        related="company_id.repeat_return_rate_min_contacts", readonly=False
    )
    repeat_offer_min_customers = fields.Integer(
        related="company_id.repeat_offer_min_customers", readonly=False
    )
    repeat_offer_min_confidence = fields.Float(
        related="company_id.repeat_offer_min_confidence", readonly=False
    )
    repeat_offer_min_lift = fields.Float(
        related="company_id.repeat_offer_min_lift", readonly=False
    )
    repeat_offer_window_days = fields.Integer(
        related="company_id.repeat_offer_window_days", readonly=False
    )
    repeat_offer_lead_days = fields.Integer(
        related="company_id.repeat_offer_lead_days", readonly=False
    )
    repeat_offer_validity_days = fields.Integer(
        related="company_id.repeat_offer_validity_days", readonly=False
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        company = self.env.company
        values.update(
            repeat_hot_days=company.repeat_hot_days,
            repeat_warm_days=company.repeat_warm_days,
        )
        return values

    def set_values(self):
        result = super().set_values()
        thresholds = {
            "repeat_hot_days": self.repeat_hot_days,
            "repeat_warm_days": self.repeat_warm_days,
        }
        if any(self.company_id[name] != value for name, value in thresholds.items()):
            self.company_id.write(thresholds)
        return result
