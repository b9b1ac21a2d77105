# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models

from ... import compat


@compat.sql_constraints
class RepeatSalesCampaignMember(models.Model):
    """A customer drawn into a campaign, in its treated or its control group.

    The group is recorded when the campaign starts and never changes; only
    treated customers are ever contacted by the campaign.
    """

    _name = "repeat.sales.campaign.member"
    _description = "Campaign Customer"
    _order = "campaign_id, id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        "repeat.sales.campaign", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    member_group = fields.Selection(
        [("treated", "Treated"), ("control", "Control")],
        string="Group",
        required=True,
        readonly=True,
    )
    contact_state = fields.Selection(
        [
            ("none", "Not Contacted (Control)"),
            ("pending", "To Contact"),
            ("contacted", "Contacted"),
            ("skipped", "Skipped"),
        ],
        required=True,
        readonly=True,
    )
    skip_reason = fields.Char(readonly=True)
    contact_date = fields.Date(string="Contacted On", readonly=True)

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "UNIQUE(campaign_id, partner_id)",
            "A customer is drawn into a campaign only once.",
        ),
    ]

    def _contact(self):
        """Carry out the campaign for pending treated customers, once each."""
        pending = self.filtered(
            lambda member: (
                member.member_group == "treated" and member.contact_state == "pending"
            )
        )
        today = fields.Date.context_today(self)
        by_action = pending.grouped(lambda member: member.campaign_id.action)
        emails = by_action.get("email", self.browse())
        unreachable = emails.filtered(
            lambda member: (
                not member.partner_id.email_normalized
                or member.partner_id.is_blacklisted
            )
        )
        unreachable.write(
            {"contact_state": "skipped", "skip_reason": _("No usable e-mail address")}
        )
        activities = by_action.get("activity", self.browse())
        do_not_call = activities.filtered(
            lambda member: (
                member.campaign_id.activity_type_id.category == "phonecall"
                and member.partner_id.with_company(member.company_id).repeat_do_not_call
            )
        )
        do_not_call.write(
            {
                "contact_state": "skipped",
                "skip_reason": _("The customer asked not to be called"),
            }
        )
        (emails - unreachable)._send_emails()
        (activities - do_not_call)._schedule_activities()
        (pending - unreachable - do_not_call).write(
            {"contact_state": "contacted", "contact_date": today}
        )

    def _send_emails(self):
        for member in self:
            member.partner_id.with_company(member.company_id).message_post_with_source(
                member.campaign_id.mail_template_id,
                subtype_xmlid="mail.mt_comment",
                partner_ids=member.partner_id.ids,
            )

    def _schedule_activities(self):
        if not self:
            return
        partner_model = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": partner_model,
                    "res_id": member.partner_id.id,
                    "activity_type_id": member.campaign_id.activity_type_id.id,
                    "summary": member.campaign_id.activity_summary
                    or member.campaign_id.name,
                    "user_id": member.partner_id.user_id.id
                    or member.campaign_id.user_id.id
                    or self.env.uid,
                    "date_deadline": today,
                }
                for member in self
            ]
        )
