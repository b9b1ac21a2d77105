# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ...models.plan import repeat_sales_followup
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestNightlyChain(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Step = cls.env["repeat.sales.nightly.step"]
        cls.steps = cls.Step.search([])
        cls.steps.last_run_date = False
        # The install took today's snapshot already; the chain takes its own.
        cls.env["repeat.sales.segment.snapshot"].search(
            [("date", "=", cls.today)]
        ).unlink()
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Night {days}", "is_company": True}
                for days in (10, 40, 60, 200)
            ]
        )
        for customer, days in zip(cls.customers, (10, 40, 60, 200), strict=True):
            cls._order(customer, days, 100.0)

    def _run_night(self):
        self.Step._run_chain_to_end()
        self.env.invalidate_all()

    def test_the_chain_runs_every_step_in_order(self):
        self.assertEqual(
            self.steps.mapped("key"),
            [
                "figures",
                "full_recompute",
                "snapshot",
                "reports",
                "plan",
                "greetings",
                "mining",
                "offers",
                "stamps",
                "value",
            ],
        )
        self._run_night()
        self.assertEqual(set(self.steps.mapped("last_run_date")), {self.today})
        finished = self.steps.mapped("finished_at")
        self.assertEqual(finished, sorted(finished), "each step after the one above")
        # What each step leaves for the next: figures, today's snapshot, plan.
        self.assertEqual(self._stat(self.customers[3]).segment, "sleeping")
        snapshots = self.env["repeat.sales.segment.snapshot"].search(
            [("date", "=", self.today), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            sum(
                snapshots.filtered(lambda s: s.segment == "sleeping").mapped(
                    "customer_count"
                )
            ),
            self.Stat.search_count(
                [("company_id", "=", self.company.id), ("segment", "=", "sleeping")]
            ),
        )
        followups = self.env["repeat.sales.followup"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertTrue(followups)
        self.assertEqual(set(followups.mapped("state")) - {"done", "skipped"}, set())

    def test_a_second_run_the_same_day_does_nothing(self):
        self._run_night()
        finished = self.steps.mapped("finished_at")
        with patch.object(
            type(self.env["repeat.sales.followup"]),
            "_cron_run_plan",
            side_effect=AssertionError("the plan ran twice in a day"),
        ):
            self._run_night()
        self.assertEqual(self.steps.mapped("finished_at"), finished)

    def test_weekly_steps_wait_their_interval(self):
        self._run_night()
        weekly = self.steps.filtered(lambda step: step.interval_days == 7)
        self.assertEqual(weekly.mapped("key"), ["full_recompute", "mining"])
        tomorrow = self.today + timedelta(days=1)
        due = self.steps.filtered(lambda step: step._is_due(tomorrow))
        self.assertEqual(due, self.steps - weekly)
        in_a_week = self.today + timedelta(days=7)
        self.assertEqual(
            self.steps.filtered(lambda step: step._is_due(in_a_week)), self.steps
        )

    def test_a_step_in_batches_keeps_its_place(self):
        """The plan in batches of 1: each call of the chain does one batch,
        and the steps after it wait until the plan is done."""
        self.patch(repeat_sales_followup, "BATCH_SIZE", 1)
        # Only this test's customers in the plan (the queue waits for pending
        # rows of others, committed by other tests, to be carried out first).
        self.env["repeat.sales.followup"].search([("state", "=", "pending")]).unlink()
        calls = 0
        while self.Step._cron_run_chain():
            calls += 1
            plan = self.steps.filtered(lambda step: step.key == "plan")
            offers = self.steps.filtered(lambda step: step.key == "offers")
            if plan.last_run_date != self.today:
                self.assertFalse(offers.last_run_date)
        planned = self.env["repeat.sales.followup"].search_count(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertGreater(planned, 1, "the test needs several follow-ups")
        self.assertEqual(set(self.steps.mapped("last_run_date")), {self.today})

    def test_a_crash_inside_a_step_resumes_there(self):
        """A step that raises is not marked done; the steps above keep their
        run, and the next call starts again at the failed step."""
        Offer = type(self.env["repeat.sales.offer"])
        # Not assertRaises: Odoo's rolls back to a savepoint, and the point
        # is what the steps above committed.
        crashed = False
        with patch.object(Offer, "_cron_update_offers", side_effect=RuntimeError):
            try:
                self._run_night()
            except RuntimeError:
                crashed = True
        self.assertTrue(crashed)
        done = self.steps.filtered("last_run_date").mapped("key")
        self.assertEqual(
            done,
            [
                "figures",
                "full_recompute",
                "snapshot",
                "reports",
                "plan",
                "greetings",
                "mining",
            ],
        )
        self._run_night()
        self.assertEqual(set(self.steps.mapped("last_run_date")), {self.today})

    def test_an_inactive_step_is_skipped(self):
        stamps = self.steps.filtered(lambda step: step.key == "stamps")
        stamps.active = False
        self._run_night()
        self.assertFalse(stamps.last_run_date)
        self.assertEqual(
            set((self.steps - stamps).mapped("last_run_date")), {self.today}
        )

    def test_run_now_tells_what_ran(self):
        action = self.Step.action_run_due_steps()
        self.assertIn("Follow-up plan", action["params"]["message"])
        action = self.Step.action_run_due_steps()
        self.assertEqual(
            action["params"]["message"], "Every step has run today already."
        )

    def test_the_interval_is_bounded(self):
        step = self.steps[0]
        for days in (0, -100, 367):
            with self.assertRaisesRegex(ValidationError, "every 1 to 366 days"):
                step.interval_days = days
            step.invalidate_recordset(["interval_days"], flush=False)
        self.env.cr.execute(
            "SELECT interval_days FROM repeat_sales_nightly_step WHERE id = %s",
            [step.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
