# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyTiers(RepeatSalesLoyaltyCommon):
    def _update_tiers(self, today=None):
        self.env.flush_all()
        self._card()._repeat_update_tiers(today or self.today)
        self.env.invalidate_all()

    def _tier(self):
        self.env.invalidate_all()
        return self.customer.repeat_loyalty_tier_id

    def test_threshold_boundary(self):
        self._order(self.customer, 0, 999.99)
        self.assertEqual(self._tier(), self.tier1)
        self._order(self.customer, 0, 0.01)
        self.assertEqual(self._tier(), self.tier2)
        self._order(self.customer, 0, 1999.99)
        self.assertEqual(self._tier(), self.tier2)
        self._order(self.customer, 0, 0.01)
        self.assertEqual(self._tier(), self.tier3)
        order = self._quotation(self.customer, 10.0)
        self.assertEqual(order.repeat_loyalty_tier_id, self.tier3)

    def test_rolling_window(self):
        old = self._order(self.customer, 0, 1200.0)
        self.assertEqual(self._tier(), self.tier2)
        # The order moves to one day inside the 12-month window, then out of it.
        inside = self.today - relativedelta(months=12)
        old.date_order = self._days_ago((self.today - inside).days)
        self._update_tiers()
        self.assertEqual(self._tier(), self.tier2)
        self._update_tiers(self.today + relativedelta(days=1))
        self.assertEqual(self._tier(), self.tier1)
        self.assertEqual(self._card().repeat_window_spend, 0.0)
        # A wider window brings it back.
        self.program.repeat_tier_window_months = 24
        self._update_tiers(self.today + relativedelta(days=1))
        self.assertEqual(self._tier(), self.tier2)

    def test_tier_multiplies_stamps(self):
        self._order(self.customer, 0, 3000.0)
        self.assertEqual(self._balance(), 30)
        self.assertEqual(self._tier(), self.tier3)
        order = self._order(self.customer, 0, 150.0)
        self.assertEqual(order.repeat_stamp_multiplier, 2.0)
        self.assertEqual(self._order_lines(order), [("earn", 3)])

    def test_tier_change_posted_and_mailed(self):
        self.customer.email = "tiles@example.com"
        self._order(self.customer, 0, 500.0)
        self._order(self.customer, 0, 600.0)
        messages = self.customer.message_ids.mapped("preview")
        self.assertIn("Loyalty tier changed from Tier 1 to Tier 2 (Stamps).", messages)
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)], order="id desc", limit=1
        )
        self.assertIn("your loyalty tier is now Tier 2", mail.subject)
        # Confirming again in the same tier announces nothing.
        count = len(self.customer.message_ids)
        self._order(self.customer, 0, 10.0)
        self.assertEqual(len(self.customer.message_ids), count)

    def test_invalid_configurations_refused(self):
        with self.assertRefused(
            ValidationError, "needs a higher spend than the one below"
        ):
            self.tier3.min_spend = 1000
        with self.assertRefused(ValidationError, "must start at 0"):
            self.tier1.min_spend = 5000
        with self.assertRefused(ValidationError, "more than zero"):
            self.program.repeat_stamp_amount = 0
        with self.assertRefused(ValidationError, "more than the 50.0 allowed"):
            self.gift_mug.reward_product_id = self.chair
        with self.assertRefused(ValidationError, "more than the"):
            self.tier2.gift_value_limit = 100
        with self.assertRefused(ValidationError, "already has a stamp program"):
            self.env["loyalty.program"].create(
                {
                    "name": "Second stamps",
                    "program_type": "loyalty",
                    "repeat_is_stamp_program": True,
                }
            )
        with self.assertRefused(ValidationError, "multiplier"):
            self.program.repeat_tier_ids = [
                Command.create(
                    {"name": "Tier 4", "min_spend": 9000, "stamp_multiplier": 0}
                )
            ]
