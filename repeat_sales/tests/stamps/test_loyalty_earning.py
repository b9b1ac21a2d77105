# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyEarning(RepeatSalesLoyaltyCommon):
    def test_partial_amounts_carry_over(self):
        orders = [self._order(self.customer, 0, 40.0) for _i in range(3)]
        self.assertEqual(
            [self._order_lines(order) for order in orders],
            [[("earn", 0)], [("earn", 0)], [("earn", 1)]],
        )
        self.assertEqual(self._balance(), 1)
        # 1.2 stamps of credit: 0.8 more makes the second stamp.
        self._order(self.customer, 0, 80.0)
        self.assertEqual(self._balance(), 2)

    def test_stamps_on_confirmation_only(self):
        quotation = self._quotation(self.customer, 550.0)
        self.assertFalse(self._order_lines(quotation))
        self.assertFalse(self._card())
        quotation.action_confirm()
        self.assertEqual(self._order_lines(quotation), [("earn", 5)])
        self.assertEqual(self._balance(), 5)
        self.assertEqual(quotation.repeat_stamp_balance, 5)

    def test_contact_orders_count_for_the_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        self._order(contact, 0, 300.0)
        self.assertEqual(self._balance(), 3)
        self.assertEqual(contact.repeat_stamp_balance, 3)

    def test_cancel_and_reconfirm_count_once(self):
        first = self._order(self.customer, 0, 60.0)
        second = self._order(self.customer, 0, 60.0)
        self.assertEqual(self._balance(), 1)
        first._action_cancel()
        # 0.6 stamps of credit are left: the stamp is no longer earned.
        self.assertEqual(self._order_lines(first), [("earn", 0), ("reverse", -1)])
        self.assertEqual(self._balance(), 0)
        first._action_cancel()
        self.assertEqual(len(self._order_lines(first)), 2)
        first.action_draft()
        first.action_confirm()
        self.assertEqual(self._balance(), 1)
        self.assertEqual(
            self._order_lines(first), [("earn", 0), ("reverse", -1), ("earn", 1)]
        )
        # Syncing again posts nothing: the orders already have what they are due.
        self.Line._sync_orders(first | second)
        self.assertEqual(self.Line.search_count([("card_id", "=", self._card().id)]), 4)

    def test_lines_added_after_confirmation_earn_at_commit(self):
        order = self._order(self.customer, 0, 150.0)
        self.assertEqual(self._balance(), 1)
        order.order_line = [
            Command.create({"product_id": self.product.id, "price_unit": 100.0})
        ]
        self._commit_hooks()
        self.assertEqual(self._order_lines(order), [("earn", 1), ("earn", 1)])
        self.assertEqual(self._balance(), 2)
        self._commit_hooks()
        self.assertEqual(len(self._order_lines(order)), 2)

    def test_refund_reverses_its_share(self):
        order = self._order(self.customer, 0, 1000.0)
        self.assertEqual(self._balance(), 10)
        invoice = order._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves()
        with Form(refund) as refund_form:
            with refund_form.invoice_line_ids.edit(0) as line:
                line.price_unit = 250.0
        refund.action_post()
        self.assertEqual(self._order_lines(order), [("earn", 10), ("reverse", -3)])
        self.assertEqual(self._balance(), 7)
        # Taking the credit note back returns the stamps.
        refund.button_draft()
        self.assertEqual(self._balance(), 10)

    def test_no_program_no_stamps(self):
        self.program.active = False
        order = self._order(self.customer, 0, 500.0)
        self.assertFalse(self._order_lines(order))
