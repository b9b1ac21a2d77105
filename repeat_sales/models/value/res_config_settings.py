# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# The value part's own settings, in its own folder (one file per part).
class ResConfigSettings(models.TransientModel):  # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.config.settings"

    repeat_value_discount_rate = fields.Float(
        related="company_id.repeat_value_discount_rate", readonly=False
    )
