# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


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
    repeat_campaign_member_id = fields.Many2one(
        "repeat.sales.campaign.member",
        string="Campaign Customer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # The follow-up's customer was contacted the day its activity is done,
        # or the day a call logged later says (repeat_contacted_on).
        # Salespeople may not edit follow-ups; marking their activity done may
        # still record that day on it (sudo).
        contacted_on = self.env.context.get(
            "repeat_contacted_on"
        ) or fields.Date.context_today(self)
        self.repeat_followup_id.sudo().filtered(
            lambda followup: not followup.done_date
        ).write({"done_date": contacted_on})
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def action_repeat_sales_log_call(self):
        """The call dialog of this planned call (My Follow-ups' Log a Call).

        A list button cannot pass ``res_id`` itself: the web client holds a
        many2one_reference as an object, not an id.
        """
        self.ensure_one()
        if self.res_model != "res.partner":
            raise UserError(_("Only a call planned on a customer is logged here."))
        partner = self.env["res.partner"].browse(self.res_id)
        action = partner.action_repeat_sales_log_call()
        action["context"] = {**action["context"], "default_activity_id": self.id}
        return action

    def _to_store_defaults(self, *args, **kwargs):
        # 19.0 sends the web client only the fields listed here (18.0 sends them
        # all): the mark-done patch needs to know a planned reactivation call.
        return [
            *super()._to_store_defaults(*args, **kwargs),
            "repeat_followup_id",
            "repeat_call_id",
        ]
