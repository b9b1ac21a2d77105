# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from ...models.calls.repeat_sales_call import OUTCOMES
from ...models.calls.repeat_sales_call_outcome import NEXT_STEPS
from ..common import RepeatSalesCommon

SALESMAN = "sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestCallOutcomes(RepeatSalesCommon):
    """Each outcome's next step, as a salesperson with Odoo's plain sales
    rights (no Contact Creation) sees it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Call = cls.env["repeat.sales.call"]
        cls.seller = cls._user("rs_outcome_seller", SALESMAN)
        cls.leader = cls._user("rs_outcome_leader", "sales_team.group_sale_manager")
        cls.caller_leader = cls._user(
            "rs_outcome_caller_leader", "sales_team.group_sale_manager"
        )
        cls.owner = cls._user("rs_outcome_owner", SALESMAN)
        cls.env["crm.team"].create(
            {
                "name": "Owner's team",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.owner.ids)],
            }
        )
        cls.env["crm.team"].create(
            {
                "name": "Caller's team",
                "user_id": cls.caller_leader.id,
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.seller.ids)],
            }
        )
        # The default: nobody set to handle complaints (issue 18, defect 1).
        cls.company.write(
            {
                "repeat_complaint_user_id": False,
                "repeat_call_retry_days": 2,
                "repeat_call_max_attempts": 2,
                "repeat_call_later_days": 90,
                "repeat_call_wrong_number_days": 1,
                "repeat_complaint_days": 1,
            }
        )
        cls.customer.write({"user_id": cls.seller.id, "email": "tiles@example.com"})
        cls._order(cls.customer, 150, 400.0)
        cls.env.cr.flush()
        cls.reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")

    def _call(self, outcome, customer=None, **values):
        return self.Call.with_user(self.seller).create(
            {
                "partner_id": (customer or self.customer).id,
                "outcome": outcome,
                "call_reason_id": self.reason.id,
                **values,
            }
        )

    def _next(self, call):
        """The next activity as (user, deadline, type)."""
        activity = self.env["mail.activity"].search([("repeat_call_id", "=", call.id)])
        return [(a.user_id, a.date_deadline, a.activity_type_id) for a in activity]

    def test_every_outcome_declares_its_next_step(self):
        self.assertEqual(set(NEXT_STEPS), {outcome for outcome, _label in OUTCOMES})

    def test_no_answer_is_retried_then_mailed(self):
        first = self._call("no_answer", call_reason_id=False)
        self.assertEqual(
            self._next(first),
            [(self.seller, self.today + timedelta(days=2), self.call_type)],
        )
        second = self._call("no_answer", call_reason_id=False)
        self.assertEqual(second.attempt, 2)
        self.assertEqual(self._next(second), [])
        mail = self.customer.message_ids.filtered(
            lambda message: message.subject == "Tile House, we tried to reach you"
        )
        self.assertEqual(mail.author_id, self.seller.partner_id)

    def test_wrong_number_plans_finding_the_right_one(self):
        # Failed with an AccessError on the chatter note (issue 24, item 6).
        call = self._call("wrong_number", call_reason_id=False)
        self.assertEqual(
            self._next(call),
            [(self.seller, self.today + timedelta(days=1), self.todo_type)],
        )
        note = self.customer.message_ids.filtered(
            lambda message: "Wrong number" in (message.body or "")
        )
        self.assertEqual(note.author_id, self.seller.partner_id)

    def test_not_interested_plans_a_new_call_later(self):
        call = self._call("not_interested")
        self.assertEqual(
            self._next(call),
            [(self.seller, self.today + timedelta(days=90), self.call_type)],
        )
        # The customer came back on their own: the call is not needed.
        self._order(self.customer, 0, 80.0)
        self.assertEqual(self._next(call), [])
        self.company.repeat_call_later_days = 0
        self.assertEqual(self._next(self._call("not_interested")), [])

    def test_call_back_on_the_agreed_date(self):
        day = self.today + timedelta(days=9)
        call = self._call("call_back", callback_date=day)
        self.assertEqual(self._next(call), [(self.seller, day, self.call_type)])

    def test_will_order_reminds_on_the_promised_date(self):
        day = self.today + timedelta(days=5)
        call = self._call("will_order", promised_date=day)
        self.assertEqual(self._next(call), [(self.seller, day, self.call_type)])

    def test_complaint_goes_to_the_handler_else_the_team_leaders(self):
        tomorrow = self.today + timedelta(days=1)
        # No complaints user, the customer's salesperson in no team: the
        # caller's team leader (before: AttributeError on res.partner.team_id).
        call = self._call("complaint", complaint="Broken tiles")
        self.assertEqual(
            self._next(call), [(self.caller_leader, tomorrow, self.todo_type)]
        )
        # The customer's salesperson has a team: its leader.
        self.customer.user_id = self.owner
        call = self._call("complaint", complaint="Broken tiles again")
        self.assertEqual(self._next(call), [(self.leader, tomorrow, self.todo_type)])
        handler = self._user("rs_outcome_handler", SALESMAN)
        self.company.write({"repeat_complaint_user_id": handler.id})
        call = self._call("complaint", complaint="Still broken")
        self.assertEqual(self._next(call), [(handler, tomorrow, self.todo_type)])

    def test_do_not_call_flags_the_customer_and_ends_the_open_plan(self):
        Followup = self.env["repeat.sales.followup"]
        planned = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_90"
        )
        planned._carry_out()
        self.assertTrue(planned.activity_ids)
        pending = self._due_followup(
            self.customer, "repeat_sales.followup_step_last_chance"
        )
        call = self._call("do_not_call", call_reason_id=False)
        self.assertEqual(self._next(call), [])
        self.assertTrue(self.customer.repeat_do_not_call)
        self.assertFalse(self.customer.activity_ids)
        self.assertEqual((planned | pending).mapped("state"), ["skipped", "skipped"])
        self.assertEqual(
            Followup.search_count(
                [("partner_id", "=", self.customer.id), ("state", "=", "pending")]
            ),
            0,
        )

    def test_lost_to_a_competitor_flags_the_customer_lost_in_the_call_company(self):
        other_company = self.env["res.company"].create({"name": "Outcome Elsewhere"})
        competitor = self.env.ref("repeat_sales.lost_reason_competitor")
        call = self._call("competitor", lost_reason_id=competitor.id)
        self.assertEqual(self._next(call), [])
        self.assertEqual(self.customer.repeat_lost_date, self.today)
        self.assertFalse(
            self.customer.with_company(other_company).repeat_lost_date,
            "lost for the company of the call only",
        )
        # Lost: the plan's next e-mail is skipped, with the reason.
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_last_chance"
        )
        followup._carry_out()
        self.assertEqual(
            (followup.state, followup.skip_reason),
            ("skipped", "The customer is flagged as lost"),
        )

    def test_lost_in_the_call_company_stops_retries_there_only(self):
        other_company = self.env["res.company"].create({"name": "Retry Elsewhere"})
        self.seller.write({"company_ids": [(4, other_company.id)]})
        self.customer.with_company(other_company).repeat_lost_date = self.today
        here = self._call("no_answer", call_reason_id=False)
        self.assertEqual(len(self._next(here)), 1)
        elsewhere = (
            self.Call.with_user(self.seller)
            .with_company(other_company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "outcome": "no_answer",
                    "company_id": other_company.id,
                }
            )
        )
        self.assertEqual(self._next(elsewhere), [])
