# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import itertools
from datetime import timedelta

from odoo.tests import tagged

from ..common import RepeatSalesCommon

SALESMAN = "sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestOutreach(RepeatSalesCommon):
    """One outreach path: who, whether, and never twice, for every part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Outreach = cls.env["repeat.sales.outreach"]
        cls.seller = cls._user("rs_reach_seller", SALESMAN)
        cls.leader = cls._user("rs_reach_leader", "sales_team.group_sale_manager")
        cls.desk = cls._user("rs_reach_desk", SALESMAN)
        cls.gone_seller = cls._user("rs_reach_gone", SALESMAN)
        cls.env["crm.team"].create(
            {
                "name": "Reach team",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.gone_seller.ids)],
            }
        )
        cls.company.repeat_followup_user_id = cls.desk
        cls.customer.write({"user_id": cls.seller.id, "email": "tiles@example.com"})
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.step = cls.env.ref("repeat_sales.followup_step_call_60")

    def _request(self, source, partner=None, **values):
        return {
            "partner": partner or self.customer,
            "company": self.company,
            "source": source,
            "activity_type": self.call_type,
            "channel": "phone",
            "deadline": self.today + timedelta(days=3),
            "summary": "Call",
            **values,
        }

    def test_responsible_salesperson_team_leader_then_company_user(self):
        Partner = self.env["res.partner"]
        self.assertEqual(
            self.Outreach._responsible(self.customer, self.company), self.seller
        )
        # A salesperson who left: the leader of their team.
        left = Partner.create({"name": "Left", "user_id": self.gone_seller.id})
        self.gone_seller.active = False
        self.assertEqual(self.Outreach._responsible(left, self.company), self.leader)
        # In a company the salesperson does not work for: that company's user.
        other_company = self.env["res.company"].create({"name": "Reach Elsewhere"})
        other_desk = self._user("rs_reach_other_desk", SALESMAN)
        other_company.repeat_followup_user_id = other_desk
        self.assertEqual(
            self.Outreach._responsible(self.customer, other_company), other_desk
        )
        orphan = Partner.create({"name": "Orphan"})
        self.assertEqual(self.Outreach._responsible(orphan, self.company), self.desk)
        fallback = self._user("rs_reach_owner", SALESMAN)
        self.assertEqual(
            self.Outreach._responsible(orphan, self.company, fallback), fallback
        )

    def test_never_two_open_activities_for_one_source(self):
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_60"
        )
        first, twin = self.Outreach._reach([self._request(followup)] * 2)
        self.assertEqual(first["activity"].repeat_followup_id, followup)
        self.assertEqual(twin, {"skipped": "duplicate"})
        (again,) = self.Outreach._reach([self._request(followup)])
        self.assertEqual(again, {"skipped": "duplicate"})
        self.assertEqual(len(self.customer.activity_ids), 1)
        # Done, the source may be reached again.
        first["activity"].action_feedback(feedback="Reached")
        (later,) = self.Outreach._reach([self._request(followup)])
        self.assertIn("activity", later)

    def test_opt_outs_and_lost_apply_the_same_to_every_part(self):
        """The plan, a campaign and a call skip the same customers, for the
        same reasons."""
        Partner = self.env["res.partner"]
        customers = {
            "blacklisted": Partner.create({"name": "Bl", "email": "bl@example.com"}),
            "do_not_call": Partner.create(
                {"name": "Dnc", "email": "dnc@example.com", "repeat_do_not_call": True}
            ),
            "lost": Partner.create({"name": "Lost", "email": "lost@example.com"}),
        }
        self.env["mail.blacklist"]._add("bl@example.com")
        customers["lost"].repeat_lost_date = self.today
        campaign = self.env["repeat.sales.campaign"].create(
            {
                "name": "Reach",
                "segment": "sleeping",
                "seed": 1,
                "action": "activity",
                "activity_type_id": self.call_type.id,
            }
        )
        expected = {
            ("blacklisted", "mail"): "no_email",
            ("blacklisted", "phone"): None,
            ("do_not_call", "mail"): None,
            ("do_not_call", "phone"): "do_not_call",
            ("lost", "mail"): "lost",
            ("lost", "phone"): "lost",
        }
        template = self.env.ref("repeat_sales.mail_template_special_offer")
        Member = self.env["repeat.sales.campaign.member"]
        # Calls that plan nothing themselves.
        self.company.repeat_call_later_days = 0
        reason = self.env.ref("repeat_sales.call_reason_sale")
        for name, partner in customers.items():
            sources = (
                self._due_followup(partner, "repeat_sales.followup_step_call_60"),
                Member.create(
                    {
                        "campaign_id": campaign.id,
                        "company_id": self.company.id,
                        "partner_id": partner.id,
                        "member_group": "treated",
                        "contact_state": "pending",
                    }
                ),
                self.env["repeat.sales.call"].create(
                    {
                        "partner_id": partner.id,
                        "outcome": "not_interested",
                        "call_reason_id": reason.id,
                    }
                ),
            )
            for channel, source in itertools.product(("mail", "phone"), sources):
                with self.subTest(customer=name, channel=channel, source=source._name):
                    request = self._request(source, partner)
                    if channel == "mail":
                        del request["activity_type"]
                        request.update(template=template, channel="mail")
                    (result,) = self.Outreach._reach([request])
                    self.assertEqual(result.get("skipped"), expected[name, channel])

    def test_plain_salesperson_reaches_their_customer(self):
        """No Contact Creation right: activities, e-mails and notes still go."""
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_60"
        )
        Outreach = self.Outreach.with_user(self.seller)
        template = self.env.ref("repeat_sales.mail_template_special_offer")
        activity, mail = Outreach._reach(
            [
                self._request(followup),
                {
                    "partner": self.customer,
                    "company": self.company,
                    "source": followup,
                    "template": template,
                    "channel": "mail",
                },
            ]
        )
        self.assertEqual(activity["activity"].user_id, self.seller)
        self.assertEqual(activity["activity"].create_uid, self.seller)
        self.assertEqual(mail["message"].author_id, self.seller.partner_id)
        Outreach._flag_lost(self.customer, self.company)
        self.assertEqual(self.customer.repeat_lost_date, self.today)
