# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RepeatSalesLostReason(models.Model):
    """Why a customer stopped buying, as told on a call."""

    _name = "repeat.sales.lost.reason"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Reason a Customer Stopped Buying"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
