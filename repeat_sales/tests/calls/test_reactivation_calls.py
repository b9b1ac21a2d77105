# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestReactivationCalls(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Call = cls.env["repeat.sales.call"]
        # Like Odoo's default internal users, salespeople may edit contacts.
        salesman = ("sales_team.group_sale_salesman", "base.group_partner_manager")
        cls.seller = cls._user("rs_caller_one", *salesman)
        cls.other_seller = cls._user("rs_caller_two", *salesman)
        cls.manager = cls._user(
            "rs_complaints",
            "sales_team.group_sale_manager",
            "base.group_partner_manager",
        )
        cls.company.write(
            {
                "repeat_complaint_user_id": cls.manager.id,
                "repeat_call_retry_days": 2,
                "repeat_call_max_attempts": 3,
                "repeat_call_attribution_days": 30,
            }
        )
        cls.customer.write({"user_id": cls.seller.id, "email": "tiles@example.com"})
        cls._order(cls.customer, 150, 400.0)
        cls.env.cr.flush()
        cls.reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")

    def _call(self, outcome, user=None, **values):
        return self.Call.with_user(user or self.seller).create(
            {
                "partner_id": self.customer.id,
                "outcome": outcome,
                "call_reason_id": self.reason.id,
                **values,
            }
        )

    def _activities(self, summary_part=""):
        return self.customer.activity_ids.filtered(
            lambda activity: summary_part in (activity.summary or "")
        )

    def test_unanswered_calls_are_retried_then_replaced_by_an_email(self):
        first = self._call("no_answer", call_reason_id=False)
        retry = self._activities("attempt 2 of 3")
        self.assertEqual(first.attempt, 1)
        self.assertEqual(retry.user_id, self.seller)
        self.assertEqual(retry.activity_type_id, self.call_type)
        self.assertEqual(retry.date_deadline, self.today + timedelta(days=2))

        second = self._call("no_answer", call_reason_id=False, activity_id=retry.id)
        self.assertEqual(second.attempt, 2)
        # A done activity is deleted (18.0) or archived (19.0).
        self.assertFalse(
            retry.exists().filtered("active"),
            "logging the call closes the planned call",
        )
        third_try = self._activities("attempt 3 of 3")
        third = self._call("no_answer", call_reason_id=False, activity_id=third_try.id)
        self.assertEqual(third.attempt, 3)
        self.assertFalse(self._activities("attempt"), "no fourth attempt")
        mail = self.customer.message_ids.filtered(
            lambda message: message.subject == "Tile House, we tried to reach you"
        )
        self.assertEqual(len(mail), 1)

        # A reached call starts the count again.
        self._call("not_interested")
        self.assertEqual(self._call("no_answer", call_reason_id=False).attempt, 1)

    def test_call_back_later_plans_a_call_on_the_chosen_date(self):
        day = self.today + timedelta(days=9)
        self._call("call_back", callback_date=day)
        activity = self._activities("Call back")
        self.assertEqual((activity.date_deadline, activity.user_id), (day, self.seller))

    def test_complaint_goes_to_the_manager_and_flags_the_customer(self):
        call = self._call("complaint", complaint="<b>Broken</b> tiles delivered")
        activity = self._activities("Complaint")
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("&lt;b&gt;Broken&lt;/b&gt;", str(activity.note))
        self.assertEqual(call.complaint_state, "open")
        self.assertTrue(self.customer.repeat_open_complaint)
        call.with_user(self.manager).action_resolve_complaint()
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.repeat_open_complaint)

    def test_will_order_reminds_on_the_promised_date_unless_an_order_came(self):
        promised = self.today + timedelta(days=5)
        self._call("will_order", promised_date=promised)
        reminder = self._activities("promised to order")
        self.assertEqual(reminder.date_deadline, promised)
        order = self._order(self.customer, 0, 120.0)
        self.assertFalse(reminder.exists().filtered("active"))
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: order.name in (m.body or ""))
        )

    def test_do_not_call_stops_every_call_step(self):
        planned = self.customer.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call", user_id=self.seller.id
        )
        self._call("do_not_call", call_reason_id=False)
        self.assertTrue(self.customer.repeat_do_not_call)
        self.assertFalse(planned.exists().filtered("active"))
        # The follow-up plan's 35-day call step is skipped from now on.
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_offer_call"
        )
        followup._carry_out()
        self.assertEqual(followup.state, "skipped")
        self.assertFalse(self.customer.activity_ids)

    def test_competitor_reason_is_kept_for_reports(self):
        price = self.env.ref("repeat_sales.lost_reason_competitor")
        self._call("competitor", lost_reason_id=price.id)
        groups = self.Call._read_group(
            [("partner_id", "=", self.customer.id)], ["lost_reason_id"], ["__count"]
        )
        self.assertEqual(groups, [(price, 1)])

    def test_orders_are_credited_to_calls_within_the_window(self):
        for days, credited in ((30, True), (31, False)):
            with self.subTest(days=days):
                customer = self.env["res.partner"].create(
                    {"name": f"Window {days}", "is_company": True}
                )
                call_day = fields.Datetime.now() - timedelta(days=days)
                with freeze_time(call_day):
                    call = self.Call.create(
                        {
                            "partner_id": customer.id,
                            "outcome": "not_interested",
                            "call_reason_id": self.reason.id,
                        }
                    )
                order = self._order(customer, 0, 250.0)
                self.assertEqual(order.repeat_call_id == call, credited)
                self.assertEqual(call.won, credited)
                self.assertEqual(call.won_amount, 250.0 if credited else 0.0)

    def test_unreached_calls_win_nothing(self):
        call = self._call("no_answer", call_reason_id=False)
        order = self._order(self.customer, 0, 90.0)
        self.assertFalse(order.repeat_call_id)
        self.assertFalse(call.won)

    def test_call_logged_from_a_followup_closes_its_activity(self):
        self.env["repeat.sales.followup"].search([]).unlink()
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_90"
        )
        followup._carry_out()
        activity = followup.activity_ids
        self.assertTrue(activity)
        action = followup.with_user(self.seller).action_log_call()
        call = (
            self.Call.with_user(self.seller)
            .with_context(**action["context"])
            .create({"outcome": "not_interested", "call_reason_id": self.reason.id})
        )
        self.assertFalse(activity.exists().filtered("active"))
        self.assertEqual(call.followup_id, followup)
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.segment, "sleeping")

    def test_a_call_logged_later_dates_the_followup_on_the_call_day(self):
        self.env["repeat.sales.followup"].search([]).unlink()
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_90"
        )
        followup._carry_out()
        called_on = fields.Date.context_today(self.Call) - timedelta(days=3)
        self._call(
            "not_interested",
            activity_id=followup.activity_ids.id,
            call_date=fields.Datetime.to_datetime(called_on) + timedelta(hours=11),
        )
        # "Contacted On", and whether the follow-up was done on time, come
        # from the day of the call, not from the day it was typed in.
        self.assertEqual(followup.done_date, called_on)

    def test_invalid_calls_are_refused(self):
        invalid = [
            {"outcome": "will_order", "promised_date": self.today - timedelta(days=1)},
            {"outcome": "will_order"},
            {"outcome": "call_back", "callback_date": self.today - timedelta(days=3)},
            {"outcome": False},
            {"outcome": "not_interested", "duration": -1},
            {"outcome": "not_interested", "call_reason_id": False},
            {"outcome": "complaint", "complaint": "   "},
            {"outcome": "competitor"},
        ]
        for values in invalid:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError):
                    with self.env.cr.savepoint():
                        self._call(**{"outcome": values.pop("outcome"), **values})
        self.assertFalse(self.Call.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.customer.activity_ids)

    def test_access_rules(self):
        theirs = self.env["res.partner"].create(
            {
                "name": "Their customer",
                "is_company": True,
                "user_id": self.other_seller.id,
            }
        )
        mine = self._call("not_interested")
        other = self.Call.with_user(self.other_seller).create(
            {
                "partner_id": theirs.id,
                "outcome": "not_interested",
                "call_reason_id": self.reason.id,
            }
        )
        visible = self.Call.with_user(self.seller).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            other.with_user(self.seller).read(["outcome"])
        with self.assertRaises(AccessError):
            mine.with_user(self.seller).unlink()
        mine.with_user(self.seller).action_archive()
        self.assertFalse(mine.active)
        self.assertEqual(
            self.Call.with_user(self.manager).search(
                [("id", "in", (mine | other).ids), ("active", "in", (True, False))]
            ),
            mine | other,
        )
        other_company = self.env["res.company"].create({"name": "Calls Elsewhere"})
        foreign = self.Call.with_company(other_company).create(
            {
                "partner_id": self.customer.id,
                "outcome": "not_interested",
                "company_id": other_company.id,
                "call_reason_id": self.env["repeat.sales.call.reason"]
                .create({"name": "Elsewhere", "company_id": other_company.id})
                .id,
            }
        )
        self.assertNotIn(foreign, self.Call.with_user(self.manager).search([]))

    def test_report_figures_on_a_known_set(self):
        self.Call.search([]).unlink()
        self._call("not_interested", duration=4)
        self._call("no_answer", call_reason_id=False)
        self._call("no_answer", call_reason_id=False)
        self.Call.with_user(self.other_seller).create(
            {
                "partner_id": self.customer.id,
                "outcome": "will_order",
                "promised_date": self.today,
                "call_reason_id": self.reason.id,
                "duration": 6,
            }
        )
        self._order(self.customer, 0, 300.0)
        rows = self.Call._read_group(
            [], ["user_id", "outcome"], ["__count", "won_amount:sum", "duration:sum"]
        )
        figures = {
            (user.name, outcome): (count, won, minutes)
            for user, outcome, count, won, minutes in rows
        }
        self.assertEqual(
            figures,
            {
                ("Rs Caller One", "not_interested"): (1, 0.0, 4.0),
                ("Rs Caller One", "no_answer"): (2, 0.0, 0.0),
                ("Rs Caller Two", "will_order"): (1, 300.0, 6.0),
            },
        )
