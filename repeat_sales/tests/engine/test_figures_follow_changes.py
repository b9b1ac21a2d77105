# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random

from odoo.fields import Command
from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestFiguresFollowChanges(RepeatSalesCommon):
    def test_cancel_and_reconfirm(self):
        first = self._order(self.customer, 90, 100.0)
        second = self._order(self.customer, 10, 300.0)
        self._commit_hooks()
        self.assertEqual(self._stat(self.customer).order_count, 2)

        second._action_cancel()
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertEqual(
            (stat.order_count, stat.revenue, stat.segment), (1, 100.0, "warm")
        )

        first._action_cancel()
        self._commit_hooks()
        self.assertFalse(self._stat(self.customer))
        self.assertEqual(self.customer.repeat_segment, "never")

        second.action_draft()
        second.action_confirm()
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertEqual(
            (stat.order_count, stat.revenue, stat.segment), (1, 300.0, "hot")
        )
        self.assertFiguresExact()

    def test_change_customer_date_and_amount_of_a_confirmed_order(self):
        other = self.env["res.partner"].create(
            {"name": "Bath Studio", "is_company": True}
        )
        order = self._order(self.customer, 10, 100.0)
        self._commit_hooks()

        order.date_order = self._days_ago(70)
        self._commit_hooks()
        self.assertEqual(self._stat(self.customer).segment, "warm")

        order.order_line.price_unit = 260.0
        self._commit_hooks()
        self.assertEqual(self._stat(self.customer).revenue, 260.0)

        order.partner_id = other
        self._commit_hooks()
        self.assertFalse(self._stat(self.customer))
        self.assertEqual(self._stat(other).revenue, 260.0)
        self.assertFiguresExact()

    def test_contact_moved_to_another_company(self):
        new_parent = self.env["res.partner"].create(
            {"name": "Spa Hotel", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Maria", "parent_id": self.customer.id}
        )
        self._order(contact, 20, 100.0)
        self._commit_hooks()
        contact.parent_id = new_parent
        self._commit_hooks()
        self.assertFalse(self._stat(self.customer))
        self.assertEqual(self._stat(new_parent).order_count, 1)
        self.assertFiguresExact()

    def test_merging_partners_merges_their_figures(self):
        duplicate = self.env["res.partner"].create(
            {"name": "Tile House (old)", "is_company": True}
        )
        self._order(self.customer, 5, 100.0)
        self._order(duplicate, 200, 50.0)
        self._commit_hooks()
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge((self.customer | duplicate).ids, self.customer)
        self._commit_hooks()
        self.assertFalse(duplicate.exists())
        stat = self._stat(self.customer)
        self.assertEqual((stat.order_count, stat.revenue), (2, 150.0))
        self.assertFiguresExact()

    def test_order_rank_and_reactivation(self):
        first = self._order(self.customer, 400, 10.0)
        second = self._order(self.customer, 350, 10.0)
        third = self._order(self.customer, 100, 10.0)
        self._commit_hooks()
        self.assertEqual(
            (first + second + third).mapped("repeat_order_rank"), [1, 2, 3]
        )
        # 250 days passed before the third order: the customer was sleeping.
        self.assertEqual(
            (first + second + third).mapped("repeat_reactivated"), [False, False, True]
        )
        self.assertEqual(third.repeat_segment, "warm")

    def test_random_operations_keep_figures_equal_to_a_recomputation(self):
        """Any sequence of order and partner operations ends with exact figures."""
        other_company = self.env["res.company"].create({"name": "Second Shop"})
        companies = [self.company, other_company]
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {index}", "is_company": True} for index in range(4)]
        )
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Contact {index}", "parent_id": customers[index % 4].id}
                for index in range(4)
            ]
        )
        buyers = customers | contacts
        orders = self.env["sale.order"]
        for seed in range(3):
            rng = random.Random(seed)
            for _step in range(25):
                operation = rng.choice(
                    [
                        "order",
                        "order",
                        "cancel",
                        "reconfirm",
                        "date",
                        "amount",
                        "customer",
                        "move_contact",
                        "line",
                    ]
                )
                confirmed = orders.filtered(lambda o: o.state == "sale")
                cancelled = orders.filtered(lambda o: o.state == "cancel")
                if operation == "order" or not orders:
                    orders |= self._order(
                        rng.choice(buyers),
                        rng.randint(0, 500),
                        rng.choice([10.0, 99.99, 250.0, 1234.5]),
                        company=rng.choice(companies),
                    )
                elif operation == "cancel" and confirmed:
                    rng.choice(confirmed)._action_cancel()
                elif operation == "reconfirm" and cancelled:
                    order = rng.choice(cancelled)
                    order.action_draft()
                    order.action_confirm()
                    order.date_order = self._days_ago(rng.randint(0, 500))
                elif operation == "date" and confirmed:
                    rng.choice(confirmed).date_order = self._days_ago(
                        rng.randint(0, 500)
                    )
                elif operation == "amount" and confirmed:
                    rng.choice(confirmed).order_line[:1].price_unit = rng.randint(
                        1, 900
                    )
                elif operation == "line" and confirmed:
                    rng.choice(confirmed).order_line = [
                        Command.create(
                            {"product_id": self.product.id, "price_unit": 5.0}
                        )
                    ]
                elif operation == "customer" and confirmed:
                    rng.choice(confirmed).partner_id = rng.choice(buyers)
                elif operation == "move_contact":
                    rng.choice(contacts).parent_id = rng.choice(customers)
                if rng.random() < 0.3:
                    self._commit_hooks()
                    self.assertFiguresExact()
            self._commit_hooks()
            self.assertFiguresExact()
