# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    repeat_call_later_days = fields.Integer(
        related="company_id.repeat_call_later_days", readonly=False
    )
    repeat_call_wrong_number_days = fields.Integer(
        related="company_id.repeat_call_wrong_number_days", readonly=False
    )
    repeat_complaint_days = fields.Integer(
        related="company_id.repeat_complaint_days", readonly=False
    )
