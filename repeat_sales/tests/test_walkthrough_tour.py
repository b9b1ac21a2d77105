# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestWalkthroughTour(TourCase):
    """The guided tour of README, in a real browser (README's screenshots are
    taken by the demo tours, tests/demo/test_demo_tours.py)."""

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.customer = self.env["res.partner"].create(
            {
                "name": "Walkthrough Tiles",
                "is_company": True,
                "email": "tiles@example.com",
                "user_id": self.admin.id,
                "customer_rank": 1,
            }
        )
        tiles = self.env["product.product"].create(
            {"name": "Floor tiles", "list_price": 30}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.admin.id,
                "order_line": [
                    Command.create({"product_id": tiles.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        today = fields.Date.today()
        order.date_order = datetime.combine(today - timedelta(days=200), time(10))
        self.env.cr.flush()
        self.env["repeat.sales.segment.snapshot"]._backfill(months=3)
        self._offer_and_gift(tiles)
        self.quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.admin.id,
                "order_line": [Command.create({"product_id": tiles.id})],
            }
        )

    def _offer_and_gift(self, tiles):
        """A hand-written offer rule (tiles, then a bathtub) and a full stamp card."""
        bathtub = self.env["product.product"].create(
            {"name": "Bathtub", "list_price": 400}
        )
        self.env["repeat.sales.offer.rule"].create(
            {
                "product_id": tiles.id,
                "target_product_id": bathtub.id,
                "delay_days": 195,
            }
        )
        self.env["repeat.sales.offer"]._generate(fields.Date.today())
        offer = self.env["repeat.sales.offer"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(offer.product_id, bathtub)
        mug = self.env["product.product"].create({"name": "Mug", "list_price": 8})
        program = self.env["loyalty.program"].create(
            {
                "name": "Stamp card",
                "program_type": "loyalty",
                "applies_on": "future",
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                "repeat_card_size": 10,
                "rule_ids": [],
                "repeat_tier_ids": [
                    Command.create(
                        {"name": "Tier 1", "min_spend": 0, "gift_value_limit": 50}
                    )
                ],
            }
        )
        program.reward_ids = [
            Command.clear(),
            Command.create(
                {
                    "reward_type": "product",
                    "reward_product_id": mug.id,
                    "required_points": 10,
                    "repeat_tier_id": program.repeat_tier_ids.id,
                }
            ),
        ]
        card = self.env["loyalty.card"]._repeat_cards([(program, self.customer)])
        self.env["repeat.sales.stamp.line"].create(
            {"card_id": card.id, "stamps": 10, "reason": "Opening balance"}
        )
        # The daily action places the customer in a tier (it expires nothing here).
        self.env["repeat.sales.stamp.line"]._cron_daily()
        self.assertTrue(card.repeat_tier_id)

    def test_walkthrough(self):
        dashboard = self.env.ref("repeat_sales.repeat_sales_dashboard_action")
        self.start_tour(
            f"/odoo/action-{dashboard.id}", "repeat_sales_walkthrough", login="admin"
        )
        call = self.env["repeat.sales.call"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(call.outcome, "will_order")
        self.assertEqual(call.call_reason_id.name, "A sale")
        self.assertIn(
            "promised to order", " ".join(self.customer.activity_ids.mapped("summary"))
        )
        lines = self.quotation.order_line
        self.assertEqual(
            lines.product_id.mapped("name"), ["Floor tiles", "Bathtub", "Mug"]
        )
        self.assertEqual(lines.filtered("repeat_gift_id").price_total, 0.0)
