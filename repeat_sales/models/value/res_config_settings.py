# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# The value part's setting lives in the part's folder with the rest of it;
# pylint-odoo would have one class per inherited model in the addon.
# pylint: disable=consider-merging-classes-inherited
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    repeat_value_discount_rate = fields.Float(
        related="company_id.repeat_value_discount_rate", readonly=False
    )
    repeat_value_refit_days = fields.Integer(
        related="company_id.repeat_value_refit_days", readonly=False
    )
