# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    repeat_campaign_member_id = fields.Many2one(
        "repeat.sales.campaign.member",
        string="Campaign Customer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
