# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    repeat_followup_id = fields.Many2one(
        "repeat.sales.followup",
        string="Customer Follow-up",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    repeat_call_id = fields.Many2one(
        "repeat.sales.call",
        string="Reactivation Call",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
