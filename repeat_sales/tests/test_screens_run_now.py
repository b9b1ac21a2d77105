# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestScreensRunNow(OfferCommon):
    """Run now: the scheduled job's method, and a notification of what changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.RunNow = cls.env["repeat.sales.run.now"]
        cls.manager = cls._user("rs_run_manager", "sales_team.group_sale_manager")
        cls.seller = cls._user("rs_run_seller", "sales_team.group_sale_salesman")

    def _message(self, action):
        self.assertEqual(action["tag"], "display_notification")
        return action["params"]["message"]

    def test_mine_now_finds_rules_and_creates_offers(self):
        for name in ("Ann", "Bob"):
            self._buy(self._customer(name), 20, self.tiles, self.grout)
        carl = self._customer("Carl")
        self._buy(carl, 5, self.tiles)
        self._commit_hooks()
        message = self._message(
            self.RunNow.with_user(self.manager).action_mine_offers()
        )
        rules = self.Rule.search([("kind", "!=", "manual")])
        offers = self.Offer.search([])
        self.assertTrue(rules)
        self.assertIn(carl, offers.partner_id)
        self.assertEqual(
            message,
            f"{len(rules)} rules found ({len(rules)} new), "
            f"{len(offers)} offers created.",
        )
        again = self._message(self.RunNow.with_user(self.manager).action_mine_offers())
        self.assertEqual(again, f"{len(rules)} rules found (0 new), 0 offers created.")

    def test_run_plan_now_reports_the_follow_ups(self):
        values = {"email": "x@example.com", "user_id": self.seller.id}
        thanked = self._customer("Thanked", **values)
        called = self._customer("Called", **values)
        self._order(thanked, 0, 100.0)
        self._order(called, 35, 100.0)
        self._commit_hooks()
        message = self._message(self.RunNow.with_user(self.manager).action_run_plan())
        followups = self.env["repeat.sales.followup"].search(
            [("partner_id", "in", (thanked | called).ids)]
        )
        self.assertEqual(set(followups.mapped("state")), {"done"})
        self.assertEqual(len(followups), 2)
        self.assertEqual(len(followups.activity_ids), 1)
        self.assertEqual(
            message, "2 follow-ups carried out, 1 activities planned, 0 skipped."
        )

    def test_update_now_counts_the_customers_corrected(self):
        self._order(self.customer, 3, 100.0)
        self._commit_hooks()
        self.env.cr.execute(
            SQL(
                "UPDATE repeat_sales_partner_stat SET order_count = 9 "
                "WHERE partner_id = %s",
                self.customer.id,
            )
        )
        self.env.invalidate_all()
        message = self._message(
            self.RunNow.with_user(self.manager).action_update_figures()
        )
        self.assertEqual(self._stat(self.customer).order_count, 1)
        self.assertEqual(
            message, "1 customers updated; today's segment snapshot taken."
        )

    def test_send_greetings_now_counts_the_greetings_sent_once(self):
        born_today = self.today.replace(year=1992)
        values = {"user_id": self.seller.id, "birthday": born_today}
        ann = self._customer("Ann", email="ann@example.com", **values)
        bob = self._customer("Bob", email="bob@example.com", **values)
        self.env["mail.blacklist"]._add("bob@example.com")
        for customer in (ann, bob):
            self._order(customer, 10, 100.0)
        self._commit_hooks()
        send = self.RunNow.with_user(self.manager).action_send_greetings
        self.assertEqual(self._message(send()), "1 greetings sent, 1 skipped.")
        greetings = ann.message_ids.filtered(
            lambda message: message.subject == "Happy birthday, Ann!"
        )
        self.assertEqual(len(greetings), 1)
        self.assertEqual(self._message(send()), "0 greetings sent, 0 skipped.")

    def test_salespeople_cannot_run_the_jobs(self):
        run_now = self.RunNow.with_user(self.seller)
        for method in (
            "action_mine_offers",
            "action_run_plan",
            "action_update_figures",
            "action_send_greetings",
        ):
            with self.assertRaises(AccessError):
                getattr(run_now, method)()
