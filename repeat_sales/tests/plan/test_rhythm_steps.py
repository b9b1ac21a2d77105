# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import numpy as np

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestRhythmSteps(RepeatSalesCommon):
    """The plan's step for customers late against their own rhythm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Followup = cls.env["repeat.sales.followup"]
        cls.seller = cls._user("rs_rhythm_seller", "sales_team.group_sale_salesman")
        cls.company.repeat_followup_catch_up_days = 14
        # The shipped rhythm step: a call at 1.5 times the customer's usual gap.
        cls.rhythm = cls.env.ref("repeat_sales.followup_step_rhythm_call")
        cls.rhythm.active = True
        cls.offer_email = cls.env.ref("repeat_sales.followup_step_offer_email")

    def _customer(self, name, *days_ago):
        """A customer with one confirmed order per age in days."""
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "user_id": self.seller.id,
            }
        )
        for days in days_ago:
            self._order(partner, days, 100.0)
        return partner

    def _run_plan(self, today=None):
        self._commit_hooks()
        while self.Followup._run_plan_batch(today or self.today):
            pass

    def _rhythm_followups(self, partner, step=None):
        return self.Followup.search(
            [
                ("partner_id", "=", partner.id),
                ("step_id", "=", (step or self.rhythm).id),
            ]
        )

    def _rhythm_calls(self, partner):
        return partner.activity_ids.filtered(
            lambda activity: activity.summary == self.rhythm.summary
        )

    def test_weekly_buyer_is_called_days_after_missing_their_week(self):
        # Every 7 days, last order 11 days ago: late at ceil(1.5 × 7) = 11 days.
        weekly = self._customer("Weekly", 25, 18, 11)
        not_yet = self._customer("Weekly not yet", 24, 17, 10)
        self._run_plan()

        self.assertEqual(self._stat(weekly).average_gap_days, 7.0)
        followup = self._rhythm_followups(weekly)
        self.assertEqual(
            (followup.state, followup.due_date, followup.order_date),
            ("done", self.today, self.today - timedelta(days=11)),
        )
        call = self._rhythm_calls(weekly)
        self.assertEqual(len(call), 1)
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.seller)
        # Day 10 is within the week and a half: no call yet.
        self.assertFalse(self._rhythm_followups(not_yet))
        self.assertFalse(self._rhythm_calls(not_yet))

    def test_rhythm_step_honours_its_value_limits(self):
        likely = self._customer("Weekly, likely still buying", 25, 18, 11)
        leaving = self._customer("Weekly, probably leaving", 25, 18, 11)
        unknown = self._customer("Weekly, not predicted", 25, 18, 11)
        self._commit_hooks()
        customers = likely | leaving
        self.env["repeat.sales.partner.stat"]._store_value_figures(
            self.company,
            np.array(customers.ids),
            [np.array([0.9, 0.2]), *[np.zeros(2)] * 3, np.full(2, 100.0)]
            + [np.array([500.0, 500.0]), np.array([False, True])],
        )
        self.rhythm.min_p_alive = 0.5
        self._run_plan()
        # Like the other steps: a limit set leaves out who falls short of it
        # and who has no prediction.
        self.assertTrue(self._rhythm_calls(likely))
        self.assertFalse(self._rhythm_calls(leaving))
        self.assertFalse(self._rhythm_calls(unknown))

    def test_yearly_buyer_is_not_chased_at_day_30_by_the_rhythm_step(self):
        yearly = self._customer("Yearly", 760, 395, 30)
        self._run_plan()
        self.assertEqual(self._stat(yearly).average_gap_days, 365.0)
        self.assertFalse(self._rhythm_followups(yearly))
        self.assertFalse(self._rhythm_calls(yearly))
        # The fixed 30-day step still does its part.
        self.assertEqual(
            self.Followup.search([("partner_id", "=", yearly.id)]).step_id,
            self.offer_email,
        )
        # A year and a half after the last order, the yearly buyer is late.
        late_yearly = self._customer("Late yearly", 1278, 913, 548)
        self._run_plan()
        self.assertEqual(self._rhythm_followups(late_yearly).due_date, self.today)

    def test_two_orders_make_no_rhythm(self):
        twice = self._customer("Twice", 18, 11)
        self._run_plan()
        self.assertFalse(self._rhythm_followups(twice))

    def test_once_per_late_period_when_the_plan_runs_again(self):
        weekly = self._customer("Weekly twice run", 25, 18, 11)
        self._run_plan()
        self._run_plan()
        # Still late the next days: the same late period, no second call.
        self._run_plan(self.today + timedelta(days=1))
        self._run_plan(self.today + timedelta(days=5))
        self.assertEqual(len(self._rhythm_followups(weekly)), 1)
        self.assertEqual(len(self._rhythm_calls(weekly)), 1)

    def test_new_order_ends_the_late_period(self):
        weekly = self._customer("Weekly came back", 25, 18, 11)
        self._run_plan()
        call = self._rhythm_calls(weekly)
        self.assertTrue(call)

        order = self._order(weekly, 0, 80.0)
        self.assertFalse(call.exists().filtered("active"))
        self.assertEqual(self._rhythm_followups(weekly).state, "closed")
        self.assertTrue(
            weekly.message_ids.filtered(
                lambda message: order.name in (message.body or "")
            )
        )
        # The next late period starts from the new order: 4 orders over 25 days,
        # a gap of 8.3 days, late ceil(1.5 × 8.3) = 13 days after it.
        self._run_plan(self.today + timedelta(days=12))
        self.assertEqual(len(self._rhythm_followups(weekly)), 1)
        self._run_plan(self.today + timedelta(days=13))
        followups = self._rhythm_followups(weekly)
        self.assertEqual(len(followups), 2)
        new = followups.filtered(lambda followup: followup.order_date == self.today)
        self.assertEqual(new.due_date, self.today + timedelta(days=13))
        self.assertEqual(len(self._rhythm_calls(weekly)), 1)

    def test_late_after_the_expected_order_plus_days(self):
        step = self.rhythm.copy(
            {
                "name": "Expected order plus 9 days",
                "rhythm_basis": "expected",
                "days": 9,
                "summary": "Expected order missed",
            }
        )
        # Every 7 days, last order 16 days ago: expected 9 days ago.
        customer = self._customer("Expected", 30, 23, 16)
        early = self._customer("Expected early", 29, 22, 15)
        self._run_plan()
        self.assertEqual(
            self._stat(customer).expected_order_date,
            self.today - timedelta(days=9),
        )
        self.assertEqual(self._rhythm_followups(customer, step).due_date, self.today)
        self.assertFalse(self._rhythm_followups(early, step))
        # Of two rhythm steps due for one late period, the later one fires.
        self.assertFalse(self._rhythm_followups(customer))

    def test_invalid_rhythm_steps_are_refused(self):
        Step = self.env["repeat.sales.followup.step"]
        count = Step.search_count([])
        for values in (
            {"rhythm_factor": 0},
            {"rhythm_factor": -2},
            # The shipped step's twin.
            {},
        ):
            with self.subTest(values=values):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.rhythm.copy(values)
        self.assertEqual(Step.search_count([]), count)
        # Another factor is another step.
        self.rhythm.copy({"rhythm_factor": 3.0})
        self.assertEqual(Step.search_count([]), count + 1)
