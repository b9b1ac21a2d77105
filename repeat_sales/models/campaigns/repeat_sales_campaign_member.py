# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models

from ... import compat


@compat.sql_constraints
class RepeatSalesCampaignMember(models.Model):
    """A customer drawn into a campaign, in its treated or its control group.

    The group is recorded when the campaign starts and never changes; only
    treated customers are ever contacted by the campaign.
    """

    _name = "repeat.sales.campaign.member"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Campaign Customer"
    _check_company_auto = True
    _order = "campaign_id, id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        "repeat.sales.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
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
        """Carry out the campaign for pending treated customers, once each,
        through the outreach (its opt-outs, its responsible users)."""
        pending = self.filtered(
            lambda member: (
                member.member_group == "treated" and member.contact_state == "pending"
            )
        )
        Outreach = self.env["repeat.sales.outreach"]
        results = Outreach._reach([member._outreach_request() for member in pending])
        today = fields.Date.context_today(self)
        by_result = defaultdict(list)
        for member, result in zip(pending, results, strict=True):
            by_result[result.get("skipped")].append(member.id)
        for code, ids in by_result.items():
            self.browse(ids).write(
                {"contact_state": "skipped", "skip_reason": Outreach._skip_label(code)}
                if code
                else {"contact_state": "contacted", "contact_date": today}
            )

    def _outreach_request(self):
        self.ensure_one()
        campaign = self.campaign_id
        request = {
            "partner": self.partner_id,
            "company": self.company_id,
            "source": self,
            "fallback_user": campaign.user_id,
            "coupon": campaign._coupon_request(),
        }
        if campaign.action == "email":
            return {**request, "template": campaign.mail_template_id}
        return {
            **request,
            "activity_type": campaign.activity_type_id,
            "summary": campaign.activity_summary or campaign.name,
        }
