# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property test: any history of order operations keeps the stored figures exact.

Hypothesis draws sequences of operations (new order, cancel, re-confirm, new
date, new amount, extra line, other customer, contact moved to another company,
thresholds changed); after each sequence the stored figures must equal a plain
Python recomputation from the orders. Each example runs in a savepoint that is
rolled back, so examples do not see each other.
"""

import unittest
from contextlib import closing

from odoo.fields import Command
from odoo.tests import tagged

from ..common import RepeatSalesCommon
from ..property_common import given, property_settings, st

OPERATIONS = (
    "order",
    "cancel",
    "reconfirm",
    "date",
    "amount",
    "line",
    "customer",
    "move_contact",
    "thresholds",
)
AMOUNTS = (0.01, 10.0, 99.99, 250.0, 1234.5)

if st is not None:
    operation_lists = st.lists(
        st.tuples(
            st.sampled_from(OPERATIONS),
            st.integers(0, 7),  # which buyer, order or contact
            st.integers(0, 400),  # days ago
            st.sampled_from(AMOUNTS),
            st.integers(0, 1),  # which company
        ),
        min_size=1,
        max_size=12,
    )


@tagged("post_install", "-at_install")
@unittest.skipIf(st is None, "hypothesis is not installed")
class TestPropertyFigures(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.companies = [cls.company, cls.env["res.company"].create({"name": "Shop 2"})]
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Buyer {index}", "is_company": True} for index in range(4)]
        )
        cls.contacts = cls.env["res.partner"].create(
            [
                {"name": f"Contact {index}", "parent_id": cls.customers[index].id}
                for index in range(4)
            ]
        )
        cls.buyers = cls.customers | cls.contacts

    def _apply(self, orders, operation):
        kind, index, days, amount, company = operation
        confirmed = orders.filtered(lambda order: order.state == "sale")
        cancelled = orders.filtered(lambda order: order.state == "cancel")
        if kind == "order" or not orders:
            return orders | self._order(
                self.buyers[index], days, amount, company=self.companies[company]
            )
        if kind == "cancel" and confirmed:
            confirmed[index % len(confirmed)]._action_cancel()
        elif kind == "reconfirm" and cancelled:
            order = cancelled[index % len(cancelled)]
            order.action_draft()
            order.action_confirm()
            order.date_order = self._days_ago(days)
        elif kind == "date" and confirmed:
            confirmed[index % len(confirmed)].date_order = self._days_ago(days)
        elif kind == "amount" and confirmed:
            confirmed[index % len(confirmed)].order_line[:1].price_unit = amount
        elif kind == "line" and confirmed:
            confirmed[index % len(confirmed)].order_line = [
                Command.create({"product_id": self.product.id, "price_unit": amount})
            ]
        elif kind == "customer" and confirmed:
            confirmed[index % len(confirmed)].partner_id = self.buyers[days % 8]
        elif kind == "move_contact":
            self.contacts[index % 4].parent_id = self.customers[days % 4]
        elif kind == "thresholds":
            hot = 1 + days % 60
            self.companies[company].write(
                {"repeat_hot_days": hot, "repeat_warm_days": hot + 1 + index * 20}
            )
        return orders

    if st is not None:

        @property_settings(max_examples=40)
        @given(operations=operation_lists)
        def test_figures_stay_exact(self, operations):
            with closing(self.env.cr.savepoint()):
                orders = self.env["sale.order"]
                for operation in operations:
                    orders = self._apply(orders, operation)
                self._commit_hooks()
                self.assertFiguresExact()
