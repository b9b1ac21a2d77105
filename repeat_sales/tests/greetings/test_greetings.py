# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from ...models.greetings import repeat_sales_greeting
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestGreetings(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Greeting = cls.env["repeat.sales.greeting"]
        cls.seller = cls._user("rs_greeting_seller", "sales_team.group_sale_salesman")
        cls.birthday = cls.env.ref("repeat_sales.occasion_birthday")
        cls.first_order = cls.env.ref("repeat_sales.occasion_first_order")
        # 1992 has every day of the year, 29 February too.
        cls.born_today = cls.today.replace(year=1992)

    def _customer(self, name, order_days_ago=10, **values):
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "user_id": self.seller.id,
                **values,
            }
        )
        if order_days_ago is not None:
            self._order(partner, order_days_ago, 100.0)
        return partner

    def _send_greetings(self, today=None):
        self._commit_hooks()
        while self.Greeting._send_greetings_batch(today or self.today):
            pass
        self.env.invalidate_all()

    def _greetings(self, partner, occasion=None):
        return self.Greeting.search(
            [
                ("partner_id", "=", partner.id),
                ("occasion_id", "=", (occasion or self.birthday).id),
            ]
        )

    def _mails(self, partner, subject):
        return partner.message_ids.filtered(lambda message: message.subject == subject)

    def test_one_greeting_per_occasion_even_when_the_action_runs_twice(self):
        customer = self._customer("Ann Birthday", birthday=self.born_today)
        not_today = self._customer(
            "Bob Tomorrow", birthday=self.born_today + timedelta(days=1)
        )
        self._send_greetings()
        self.Greeting._cron_send_greetings()
        self._send_greetings()
        self.env.invalidate_all()

        greeting = self._greetings(customer)
        self.assertEqual(
            (len(greeting), greeting.state, greeting.occasion_date, greeting.year),
            (1, "sent", self.today, self.today.year),
        )
        mails = self._mails(customer, "Happy birthday, Ann Birthday!")
        self.assertEqual(len(mails), 1)
        self.assertEqual(greeting.message_id, mails)
        self.assertIn(customer, mails.partner_ids)
        self.assertEqual(mails.author_id, self.env.user.partner_id)
        self.assertFalse(self._greetings(not_today))
        # The next year is another occasion.
        next_year = self.today + relativedelta(years=1)
        self._send_greetings(next_year)
        self.assertEqual(
            self._greetings(customer).mapped("year"),
            [next_year.year, self.today.year],
        )

    def test_blacklisted_customer_gets_no_greeting(self):
        blacklisted = self._customer("Carl Blacklisted", birthday=self.born_today)
        self.env["mail.blacklist"].create({"email": blacklisted.email})
        no_email = self._customer(
            "Dora No Email", birthday=self.born_today, email=False
        )
        lost = self._customer("Eve Lost", birthday=self.born_today)
        self.env["repeat.sales.outreach"]._flag_lost(lost, self.company)
        self._send_greetings()
        for customer, reason in (
            (blacklisted, "No usable e-mail address"),
            (no_email, "No usable e-mail address"),
            (lost, "The customer is flagged as lost"),
        ):
            with self.subTest(customer=customer.name):
                greeting = self._greetings(customer)
                self.assertEqual(
                    (greeting.state, greeting.skip_reason), ("skipped", reason)
                )
                self.assertFalse(greeting.message_id)
                self.assertFalse(
                    self._mails(customer, f"Happy birthday, {customer.name}!")
                )
        # Skipped is final: a rerun tries no second time.
        self._send_greetings()
        self.assertEqual(len(self._greetings(blacklisted)), 1)

    def test_greeting_is_written_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.birthday.mail_template_id
        template.with_context(
            lang="fr_FR"
        ).subject = "Joyeux anniversaire, {{ object.name }} !"
        french = self._customer("Fanny", birthday=self.born_today, lang="fr_FR")
        english = self._customer("George", birthday=self.born_today, lang="en_US")
        self._send_greetings()
        self.assertEqual(
            self._greetings(french).message_id.subject, "Joyeux anniversaire, Fanny !"
        )
        self.assertEqual(
            self._greetings(english).message_id.subject, "Happy birthday, George!"
        )

    def test_anniversary_of_the_first_order_and_company_dates(self):
        a_year_ago = (self.today - (self.today - relativedelta(years=1))).days
        loyal = self._customer("Hugo Loyal", order_days_ago=a_year_ago)
        self._order(loyal, 5, 50.0)
        new = self._customer("Iris New", order_days_ago=0)
        other_company = self.env["res.company"].create({"name": "Greeting Elsewhere"})
        elsewhere = self._customer("Jack Elsewhere", order_days_ago=None)
        self._order(elsewhere, 3, 100.0, company=other_company)
        holiday = self.env["repeat.sales.occasion"].create(
            {
                "name": "Company day",
                "kind": "date",
                "date": self.born_today.replace(year=2001),
                "mail_template_id": self.env.ref(
                    "repeat_sales.mail_template_greeting_holiday"
                ).id,
            }
        )
        self._send_greetings()

        self.assertEqual(self._greetings(loyal, self.first_order).state, "sent")
        self.assertEqual(
            len(self._mails(loyal, "Hugo Loyal, thank you for another year with us")),
            1,
        )
        self.assertFalse(self._greetings(new, self.first_order), "not a year yet")
        # The company's own date: each of its customers, not another company's.
        self.assertEqual(
            (self._greetings(loyal, holiday) | self._greetings(new, holiday)).mapped(
                "state"
            ),
            ["sent", "sent"],
        )
        self.assertFalse(self.Greeting.search([("partner_id", "=", elsewhere.id)]))
        self.assertEqual(holiday.greeting_count, 2)

    def test_29_february_and_days_caught_up(self):
        leapling = self._customer("Kim Leap", birthday=date(2000, 2, 29))
        # 2027 has no 29 February: greeted on the 28th.
        self._send_greetings(date(2027, 2, 27))
        self.assertFalse(self._greetings(leapling))
        self._send_greetings(date(2027, 2, 28))
        self.assertEqual(self._greetings(leapling).occasion_date, date(2027, 2, 28))
        # 2028 has it: on the 29th, not the 28th.
        self._send_greetings(date(2028, 2, 28))
        self.assertEqual(len(self._greetings(leapling)), 1)
        # The nightly work did not run on the 29th: caught up 2 days later.
        self._send_greetings(date(2028, 3, 2))
        self.assertEqual(
            self._greetings(leapling).mapped("occasion_date"),
            [date(2028, 2, 29), date(2027, 2, 28)],
        )
        # Three days late is too late.
        late = self._customer("Leo Late", birthday=date(1980, 6, 10))
        self._send_greetings(date(2028, 6, 13))
        self.assertFalse(self._greetings(late))

    def test_run_stopped_half_way_is_finished_without_duplicates(self):
        customers = self.env["res.partner"].concat(
            *[
                self._customer(f"Batch {index}", birthday=self.born_today)
                for index in range(5)
            ]
        )
        self._commit_hooks()
        Outreach = type(self.env["repeat.sales.outreach"])
        original = Outreach._send_mails
        sent = []

        def crash_after_the_third_mail(outreach, *args):
            messages = original(outreach, *args)
            sent.extend(messages)
            if len(sent) >= 3:
                raise RuntimeError("server killed")
            return messages

        with patch.object(repeat_sales_greeting, "BATCH_SIZE", 2):
            with patch.object(Outreach, "_send_mails", crash_after_the_third_mail):
                self.Greeting._send_greetings_batch(self.today)
                # The second batch dies; its transaction is rolled back.
                with self.assertRaises(RuntimeError):
                    with self.env.cr.savepoint():
                        self.Greeting._send_greetings_batch(self.today)
            self.env.invalidate_all()
            self._send_greetings()

        greetings = self.Greeting.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(greetings), 5)
        self.assertEqual(set(greetings.mapped("state")), {"sent"})
        for customer in customers:
            self.assertEqual(
                len(self._mails(customer, f"Happy birthday, {customer.name}!")), 1
            )

    def test_salesperson_sees_own_customers_greetings(self):
        mine = self._customer("Mia Mine", birthday=self.born_today)
        other_seller = self._user("rs_greeting_other", "sales_team.group_sale_salesman")
        theirs = self._customer(
            "Ned Theirs", birthday=self.born_today, user_id=other_seller.id
        )
        self._send_greetings()
        visible = self.Greeting.with_user(self.seller).search(
            [("partner_id", "in", (mine | theirs).ids)]
        )
        self.assertEqual(visible.partner_id, mine)

    def test_birthday_is_on_the_contact_form_and_importable(self):
        arch = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('name="birthday"', arch)
        result = self.env["res.partner"].load(
            ["name", "birthday"], [["Olga Imported", "1985-03-14"]]
        )
        self.assertFalse(result["messages"])
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(imported.birthday, date(1985, 3, 14))
