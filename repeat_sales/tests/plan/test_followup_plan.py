# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ... import compat
from ...models.plan import repeat_sales_followup
from ..common import RepeatSalesCommon

DEFAULT_STEPS = {
    0: "repeat_sales.followup_step_thank_you",
    30: "repeat_sales.followup_step_offer_email",
    35: "repeat_sales.followup_step_offer_call",
    60: "repeat_sales.followup_step_call_60",
    90: "repeat_sales.followup_step_call_90",
    180: "repeat_sales.followup_step_last_chance",
    210: "repeat_sales.followup_step_lost",
}


@tagged("post_install", "-at_install")
class TestFollowupPlan(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Followup = cls.env["repeat.sales.followup"]
        cls.seller = cls._user("rs_seller_one", "sales_team.group_sale_salesman")
        cls.other_seller = cls._user("rs_seller_two", "sales_team.group_sale_salesman")
        cls.fallback_user = cls._user(
            "rs_followup_desk", "sales_team.group_sale_salesman"
        )
        cls.company.repeat_followup_user_id = cls.fallback_user
        cls.company.repeat_followup_catch_up_days = 14
        cls.steps = {days: cls.env.ref(xmlid) for days, xmlid in DEFAULT_STEPS.items()}

    def _customer(self, name, days_ago=None, **values):
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "user_id": self.seller.id,
                **values,
            }
        )
        if days_ago is not None:
            self._order(partner, days_ago, 100.0)
        return partner

    def _run_plan(self):
        self._commit_hooks()
        while self.Followup._run_plan_batch(self.today):
            pass

    def _followups(self, partner):
        return self.Followup.search([("partner_id", "=", partner.id)])

    def test_each_default_step_fires_on_its_day_and_not_the_day_before(self):
        on_day = {days: self._customer(f"On day {days}", days) for days in self.steps}
        day_before = {
            days: self._customer(f"Day before {days}", days - 1)
            for days in self.steps
            if days
        }
        self._run_plan()

        for days, step in self.steps.items():
            with self.subTest(days=days):
                followups = self._followups(on_day[days])
                self.assertEqual(followups.step_id, step)
                self.assertEqual(followups.state, "done")
                self.assertEqual(followups.due_date, self.today)
                if days in day_before:
                    self.assertNotIn(step, self._followups(day_before[days]).step_id)

        thanked = on_day[0].message_ids.filtered(
            lambda message: message.subject == "Thank you for your order, On day 0"
        )
        self.assertEqual(len(thanked), 1)
        self.assertIn(on_day[0], thanked.partner_ids)
        call = on_day[60].activity_ids
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.seller)
        self.assertEqual(call.summary, "Call with a special offer")
        self.assertEqual(on_day[210].repeat_lost_date, self.today)
        self.assertFalse(on_day[180].repeat_lost_date)

    def test_an_email_step_of_many_customers_gives_each_their_own_message(self):
        # One rendering of the template for all of them: each message still
        # names its customer and goes to that customer alone.
        customers = [self._customer(f"Batch {index}", 0) for index in range(3)]
        self._run_plan()
        for customer in customers:
            with self.subTest(customer=customer.name):
                messages = customer.message_ids.filtered(
                    lambda message: (
                        message.subject
                        and message.subject.startswith("Thank you for your order")
                    )
                )
                self.assertEqual(
                    messages.mapped("subject"),
                    [f"Thank you for your order, {customer.name}"],
                )
                self.assertEqual(messages.partner_ids, customer)
                self.assertEqual(messages.author_id, self.env.user.partner_id)

    def test_state_of_a_step_whose_call_is_still_open_does_not_read_done(self):
        customer = self._customer("Still to call", 60)
        self._run_plan()
        followup = self._followups(customer)
        self.assertTrue(followup.activity_ids, "the call is still to make")
        labels = dict(self.Followup.fields_get(["state"])["state"]["selection"])
        self.assertEqual(labels[followup.state], "Carried Out")

    def test_trigger_decides_what_the_days_count_from(self):
        """After confirmation: days from each order, even when the customer
        ordered again since; without a new order: from the last order only."""
        step = self.env["repeat.sales.followup.step"].create(
            {
                "name": "How was the delivery?",
                "company_id": self.company.id,
                "trigger": "confirmation",
                "days": 14,
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": "Ask about the delivery",
            }
        )
        customer = self._customer("Ordered twice", 14)
        self._order(customer, 3, 100.0)
        self._run_plan()
        asked = self._followups(customer).filtered(lambda f: f.step_id == step)
        self.assertEqual(asked.order_date, self.today - timedelta(days=14))
        activity = customer.activity_ids.filtered(
            lambda a: a.summary == "Ask about the delivery"
        )
        self.assertEqual(
            (activity.user_id, activity.date_deadline),
            (self.seller, self.today + timedelta(days=2)),
        )

        step.trigger = "no_order"
        again = self._customer("Ordered twice too", 14)
        self._order(again, 3, 100.0)
        self._run_plan()
        self.assertNotIn(step, self._followups(again).step_id)
        self.assertFalse(again.activity_ids)

    def test_rerun_changes_nothing(self):
        customers = [self._customer(f"Rerun {days}", days) for days in (0, 35, 90)]
        self._run_plan()
        partners = self.env["res.partner"].concat(*customers)
        before = (
            self.Followup.search_count([("partner_id", "in", partners.ids)]),
            len(partners.activity_ids),
            len(partners.message_ids),
        )
        self._run_plan()
        self._run_plan()
        after = (
            self.Followup.search_count([("partner_id", "in", partners.ids)]),
            len(partners.activity_ids),
            len(partners.message_ids),
        )
        self.assertEqual(before, (3, 2, after[2]))
        self.assertEqual(before, after)

    def test_run_stopped_half_way_is_finished_without_duplicates(self):
        customers = self.env["res.partner"].concat(
            *[self._customer(f"Batch {index}", 60) for index in range(5)]
        )
        self._commit_hooks()
        Outreach = type(self.env["repeat.sales.outreach"])
        original = Outreach._create_activities
        calls = []

        def crash_on_second_batch(outreach, requests, notify=True):
            if requests:
                calls.append(len(requests))
            activities = original(outreach, requests, notify=notify)
            if len(calls) == 2:
                raise RuntimeError("server killed")
            return activities

        with patch.object(repeat_sales_followup, "BATCH_SIZE", 2):
            with patch.object(Outreach, "_create_activities", crash_on_second_batch):
                self.Followup._run_plan_batch(self.today)
                # The second batch dies; its transaction is rolled back.
                with self.assertRaises(RuntimeError):
                    with self.env.cr.savepoint():
                        self.Followup._run_plan_batch(self.today)
            self.env.invalidate_all()
            self.assertEqual(len(customers.activity_ids), 2)
            self._run_plan()

        followups = self.Followup.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(followups), 5)
        self.assertEqual(set(followups.mapped("state")), {"done"})
        self.assertEqual(len(customers.activity_ids), 5)
        for customer in customers:
            self.assertEqual(len(customer.activity_ids), 1)

    def test_missed_days_give_the_step_now_due_once(self):
        late = self._customer("Ninety five", 95)
        too_late = self._customer("A hundred twenty", 120)
        self._run_plan()
        self.assertEqual(self._followups(late).step_id, self.steps[90])
        self.assertEqual(len(late.activity_ids), 1)
        # The 90-day step fell due 30 days ago, beyond the 14 days of catch-up.
        self.assertFalse(self._followups(too_late))

    def test_new_order_ends_the_open_plan(self):
        customer = self._customer("Came back", 60)
        self._run_plan()
        activity = customer.activity_ids
        self.assertEqual(len(activity), 1)

        order = self._order(customer, 0, 80.0)
        # A done activity is deleted (18.0) or archived (19.0).
        self.assertFalse(activity.exists().filtered("active"))
        followup = self._followups(customer)
        self.assertEqual(followup.state, "closed")
        done_note = customer.message_ids.filtered(
            lambda message: order.name in (message.body or "")
        )
        self.assertTrue(done_note)

        # The plan restarts from the new order: the thank-you comes next.
        self._run_plan()
        self.assertIn(self.steps[0], self._followups(customer).step_id)

    def test_new_order_takes_back_the_lost_flag(self):
        customer = self._customer("Lost one", 210)
        self._run_plan()
        self.assertEqual(customer.repeat_lost_date, self.today)
        self._order(customer, 0, 50.0)
        self.assertFalse(customer.repeat_lost_date)

    def test_opt_outs(self):
        blacklisted = self._customer("Blacklisted", 30)
        self.env["mail.blacklist"].create({"email": blacklisted.email})
        no_email = self._customer("No email", 0, email=False)
        do_not_call = self._customer("Do not call", 60, repeat_do_not_call=True)
        archived = self._customer("Archived", 60)
        archived.action_archive()
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        # Bought here, then became a contact of another company only.
        foreign = self._customer("Foreign", 60)
        foreign.company_id = other_company
        self._run_plan()

        # E-mail impossible: the 30-day step calls instead.
        self.assertEqual(self._followups(blacklisted).state, "done")
        self.assertEqual(
            blacklisted.activity_ids.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        self.assertFalse(
            blacklisted.message_ids.filtered(lambda m: m.message_type == "comment")
        )
        # No fallback configured on the thank-you: skipped, with the reason.
        self.assertEqual(self._followups(no_email).state, "skipped")
        self.assertEqual(
            self._followups(no_email).skip_reason, "No usable e-mail address"
        )
        self.assertEqual(self._followups(do_not_call).state, "skipped")
        self.assertFalse(do_not_call.activity_ids)
        self.assertFalse(self._followups(archived))
        self.assertFalse(self._followups(foreign))

    def test_customer_without_salesperson_goes_to_the_fallback_user(self):
        orphan = self._customer("Orphan", 60, user_id=False)
        self._run_plan()
        self.assertEqual(orphan.activity_ids.user_id, self.fallback_user)
        self.assertEqual(self._followups(orphan).user_id, self.fallback_user)

    def test_contact_dates_are_recorded(self):
        mailed = self._customer("Mailed", 30)
        called = self._customer("Called", 60)
        self._run_plan()
        self.assertEqual(self._followups(mailed).done_date, self.today)
        followup = self._followups(called)
        activity = called.activity_ids
        self.assertEqual(followup.deadline, activity.date_deadline)
        self.assertFalse(followup.done_date, "not contacted until the call is done")
        activity.with_user(self.seller).action_feedback(feedback="Reached")
        self.assertEqual(followup.done_date, self.today)

    def test_one_digest_per_salesperson_and_no_message_per_activity(self):
        for index in range(3):
            self._customer(f"Digest {index}", 60)
        self._run_plan()
        received = self.env["mail.message"].search(
            [("partner_ids", "in", self.seller.partner_id.ids)]
        )
        self.assertEqual(len(received), 1)
        self.assertIn("3 new customer follow-ups", received.body)

    def test_invalid_steps_are_refused(self):
        Step = self.env["repeat.sales.followup.step"]
        order_template = self.env.ref("sale.email_template_edi_sale")
        base = {"name": "Bad step", "company_id": self.company.id}
        invalid = [
            {
                "days": -1,
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            },
            {
                "days": 60,
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            },
            {"days": 45, "action": "email", "mail_template_id": order_template.id},
            {"days": 45, "action": "email"},
            {"days": 45, "action": "activity"},
            {
                "days": 45,
                "action": "lost",
                "apply_to_hot": False,
                "apply_to_warm": False,
                "apply_to_sleeping": False,
            },
        ]
        count = Step.search_count([])
        for values in invalid:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    Step.create({**base, **values})
        self.assertEqual(Step.search_count([]), count)

    def test_salesperson_sees_only_own_customers_followups(self):
        mine = self._customer("Mine", 60)
        theirs = self._customer("Theirs", 60, user_id=self.other_seller.id)
        self._run_plan()
        visible = self.Followup.with_user(self.seller).search(
            [("partner_id", "in", (mine | theirs).ids)]
        )
        self.assertEqual(visible.partner_id, mine)
        with self.assertRaises(AccessError):
            self._followups(theirs).with_user(self.seller).read(["state"])
        manager = self.env["res.users"].create(
            {
                "name": "Sales Manager",
                "login": "rs_sales_manager",
                compat.USER_GROUPS: [
                    (6, 0, self.env.ref("sales_team.group_sale_manager").ids)
                ],
            }
        )
        visible = self.Followup.with_user(manager).search(
            [("partner_id", "in", (mine | theirs).ids)]
        )
        self.assertEqual(visible.partner_id, mine | theirs)

    def test_each_company_runs_its_own_plan(self):
        other_company = self.env["res.company"].create({"name": "Second Shop"})
        other_steps = self.env["repeat.sales.followup.step"].search(
            [("company_id", "=", other_company.id)]
        )
        self.assertEqual(sorted(other_steps.mapped("days")), sorted(self.steps))
        customer = self._customer("Both companies")
        self._order(customer, 60, 100.0)
        self._order(customer, 90, 100.0, company=other_company)
        self._run_plan()
        followups = self._followups(customer)
        self.assertEqual(
            {(f.company_id, f.step_id.days) for f in followups},
            {(self.company, 60), (other_company, 90)},
        )
        self.assertEqual(
            followups.filtered(lambda f: f.company_id == other_company).step_id,
            other_steps.filtered(lambda s: s.days == 90),
        )
        visible = self.Followup.with_user(self.seller).search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(visible.company_id, self.company)
