# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# The value figures of the customer in the call dialog, beside the others.
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesCall(models.Model):
    _inherit = "repeat.sales.call"

    customer_p_alive = fields.Float(related="partner_id.repeat_p_alive")
    customer_clv_12m = fields.Monetary(
        related="partner_id.repeat_clv_12m", currency_field="currency_id"
    )
