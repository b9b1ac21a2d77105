# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyRedemption(RepeatSalesLoyaltyCommon):
    def _wizard(self, order):
        action = order.action_repeat_sales_choose_gift()
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    def test_gift_choice_follows_tier(self):
        self._give_stamps(10)
        quotation = self._quotation(self.customer, 100.0)
        wizard = self._wizard(quotation)
        self.assertEqual(wizard.tier_id, self.tier1)
        self.assertEqual(wizard.stamp_balance, 10)
        self.assertEqual(wizard.allowed_gift_ids[:], self.gift_mug)
        self._order(self.customer, 0, 3000.0)
        wizard = self._wizard(quotation)
        self.assertEqual(wizard.tier_id, self.tier3)
        self.assertEqual(
            wizard.allowed_gift_ids[:], self.gift_mug | self.gift_lamp | self.gift_chair
        )

    def test_stamps_leave_at_confirmation(self):
        self._give_stamps(12)
        quotation = self._quotation(self.customer, 50.0)
        wizard = self._wizard(quotation)
        wizard.gift_id = self.gift_mug
        wizard.save().action_add_gift()
        gift_line = quotation.order_line.filtered("repeat_gift_id")
        self.assertEqual(gift_line.product_id, self.mug)
        self.assertEqual(gift_line.price_subtotal, 0.0)
        self.assertEqual(quotation.amount_untaxed, 50.0)
        # The gift stays free when prices are updated or the quantity changes.
        quotation.action_update_prices()
        gift_line.product_uom_qty = 2
        self.assertEqual(gift_line.price_unit, 0.0)
        gift_line.product_uom_qty = 1
        self.assertEqual(self._balance(), 12)
        # A second gift would need 20 stamps.
        wizard = self._wizard(quotation)
        self.assertEqual(wizard.stamps_reserved, 10)
        wizard.gift_id = self.gift_mug
        with self.assertRefused(UserError, "a gift needs 10"):
            wizard.save().action_add_gift()
        quotation.action_confirm()
        self.assertEqual(self._order_lines(quotation), [("earn", 0), ("redeem", -10)])
        self.assertEqual(self._balance(), 2)
        # Cancelling gives the card back; confirming again takes it again.
        quotation._action_cancel()
        self.assertEqual(self._balance(), 12)
        quotation.action_draft()
        quotation.action_confirm()
        self.assertEqual(self._balance(), 2)

    def test_never_below_zero(self):
        card = self._give_stamps(10)
        first = self._quotation(self.customer, 10.0)
        second = self._quotation(self.customer, 10.0)
        for quotation in first | second:
            wizard = self._wizard(quotation)
            wizard.gift_id = self.gift_mug
            wizard.save().action_add_gift()
        first.action_confirm()
        self.assertEqual(self._balance(), 0)
        with self.assertRefused(UserError, "fewer than zero stamps"):
            second.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(card.points, 0)

    def test_gift_above_tier_refused(self):
        self._give_stamps(10)
        quotation = self._quotation(self.customer, 10.0)
        wizard = self._wizard(quotation).save()
        wizard.gift_id = self.gift_chair
        with self.assertRefused(UserError, "tier does not give access"):
            wizard.action_add_gift()
