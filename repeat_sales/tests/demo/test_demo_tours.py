# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A day of each role on the demo database, in Chromium at 1280×800.

Run only on a database with demo data (``DEMO=1 tools/test.sh -k demo``). The
tours save README's screenshots (docs/screenshots) and what each screen
showed (docs/screenshots/<tour>.txt).
"""

import json
import unittest

from odoo import fields
from odoo.tests import tagged

from ..common import TourCase
from ..screenshots import TourLogMixin

DEMO_KEY = "repeat_sales_demo_tour"  # as in repeat_sales_demo_tours_common.js
# Reports the manager's tour photographs, by menu.
SHOTS = {
    "repeat_sales.repeat_sales_segment_snapshot_menu": "manager_2_segments",
    "repeat_sales.repeat_sales_reactivation_report_menu": "manager_3_funnel",
    "repeat_sales.repeat_sales_value_menu": "manager_4_customer_value",
}


@tagged("post_install", "-at_install")
class TestDemoTours(TourLogMixin, TourCase):
    browser_size = "1280,800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("base.module_repeat_sales").demo:
            raise unittest.SkipTest("the database has no demo data")
        cls.seller = cls.env["res.users"].search([("login", "=", "sales")])
        cls.admin = cls.env.ref("base.user_admin")

    def _run_tour(self, action, tour, login, data):
        url = f"/odoo/action-{action.id}"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "startUrl": url}
        code = (
            f"sessionStorage.setItem({json.dumps(DEMO_KEY)}, "
            f"{json.dumps(json.dumps(data))}); "
            f"odoo.startTour({json.dumps(tour)}, {json.dumps(options)})"
        )
        with self._logging_tour():
            self.start_tour(url, tour, login=login, code=code, timeout=400)
        self._write_screens(tour)

    # ------------------------------------------------------------------
    # The salesperson
    # ------------------------------------------------------------------

    def _due_calls(self):
        """The salesperson's calls due today or overdue, as My Follow-ups
        lists them (the most urgent first)."""
        today = fields.Date.context_today(self.seller)
        return (
            self.env["mail.activity"]
            .with_user(self.seller)
            .search(
                [
                    "|",
                    ("repeat_followup_id", "!=", False),
                    ("repeat_call_id", "!=", False),
                    ("user_id", "=", self.seller.id),
                    ("res_model", "=", "res.partner"),
                    ("activity_category", "=", "phonecall"),
                    ("date_deadline", "<=", today),
                ],
                order="date_deadline, id",
            )
        )

    def _day_of_the_salesperson(self):
        """Who the salesperson calls: the first due call complains; the next
        due call whose customer has an offer and a full stamp card orders."""
        due = self._due_calls()
        self.assertGreaterEqual(len(due), 2)
        Partner = self.env["res.partner"]
        complaint = Partner.browse(due[0].res_id)
        Offer = self.env["repeat.sales.offer"]
        for activity in due[1:]:
            partner = Partner.browse(activity.res_id)
            offer = Offer.search(
                [("partner_id", "=", partner.id), ("state", "=", "proposed")],
                order="score desc, id",
                limit=1,
            )
            card = self.env["loyalty.card"].search(
                [("partner_id", "=", partner.id), ("repeat_stamp_card", "=", True)]
            )
            size = card.program_id.repeat_card_size
            if (
                partner != complaint
                and offer
                and card
                and card.repeat_stamp_balance >= size
            ):
                gift = card.repeat_tier_id._allowed_gifts()[:1]
                return complaint, partner, offer, card, gift
        self.fail("no due call of a customer with an offer and a full stamp card")

    def test_the_salespersons_day(self):
        complaint, customer, offer, card, gift = self._day_of_the_salesperson()
        stamps_before = card.repeat_stamp_balance
        data = {
            "complaint": complaint.name,
            "order": customer.name,
            "product": offer.product_id.name,
            "gift": gift.reward_product_id.name,
        }
        action = self.env.ref("repeat_sales.repeat_sales_my_followups_action")
        self._run_tour(action, "repeat_sales_demo_salesperson", "sales", data)
        Call = self.env["repeat.sales.call"]
        self.assertEqual(
            Call.search([("partner_id", "=", complaint.id)], order="id desc")[
                :1
            ].outcome,
            "complaint",
        )
        self.assertEqual(
            Call.search([("partner_id", "=", customer.id)], order="id desc")[
                :1
            ].outcome,
            "will_order",
        )
        self.assertIn(
            "Complaint of",
            " ".join(complaint.activity_ids.mapped("summary")),
        )
        order = self.env["sale.order"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual(order.state, "sale")
        self.assertIn(offer.product_id, order.order_line.product_id)
        self.assertTrue(order.order_line.filtered("repeat_gift_id"))
        self.assertEqual(offer.state, "won")
        self.assertNotEqual(card.repeat_stamp_balance, stamps_before)
        self.assertEqual(
            self.screenshots,
            [
                "sales_1_my_followups",
                "sales_2_call",
                "sales_3_next_activities",
                "sales_4_order",
            ][: len(self.screenshots)],
        )

    # ------------------------------------------------------------------
    # The manager
    # ------------------------------------------------------------------

    def _reports(self):
        """Every window action of the Repeat Sales reporting menu, as the
        manager sees it, in its order."""
        root = self.env.ref("repeat_sales.repeat_sales_report_menu")
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.admin)
            .search([("parent_id", "=", root.id)], order="sequence, id")
        )
        reports = []
        for menu in menus.sudo():
            if menu.action._name != "ir.actions.act_window":
                continue
            if menu.action.target == "new":
                # A dialog that asks for a period (the value model's check),
                # not a report with records of its own.
                continue
            xmlid = menu.get_external_id()[menu.id]
            reports.append(
                {"xmlid": xmlid, "title": menu.action.name, "shot": SHOTS.get(xmlid)}
            )
        return reports

    def test_the_managers_round(self):
        reports = self._reports()
        self.assertGreaterEqual(len(reports), 10)
        action = self.env.ref("repeat_sales.repeat_sales_dashboard_action")
        self._run_tour(
            action, "repeat_sales_demo_manager", "admin", {"reports": reports}
        )
        shown = {screen.split("|")[0] for screen in self.screens}
        self.assertEqual(shown, {"dashboard"} | {report["xmlid"] for report in reports})
