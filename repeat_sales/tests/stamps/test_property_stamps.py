# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property test: the stamp ledger never loses or double-counts a stamp.

Hypothesis draws sequences of orders confirmed, cancelled, re-confirmed and
edited after confirmation; afterwards the customer holds one stamp per 100 of
the confirmed orders' untaxed total (partial amounts carried over), and the
card, the customer and the ledger agree. Each example is rolled back.
"""

import unittest
from contextlib import closing

from odoo.tests import tagged
from odoo.tools import float_round

from ..loyalty_common import RepeatSalesLoyaltyCommon
from ..property_common import given, property_settings, st

AMOUNTS = (10.0, 40.0, 60.0, 99.99, 150.0)

if st is not None:
    operation_lists = st.lists(
        st.tuples(
            st.sampled_from(("order", "cancel", "reconfirm", "amount")),
            st.integers(0, 9),
            st.sampled_from(AMOUNTS),
        ),
        min_size=1,
        max_size=10,
    )


@tagged("post_install", "-at_install")
@unittest.skipIf(st is None, "hypothesis is not installed")
class TestPropertyStamps(RepeatSalesLoyaltyCommon):
    def _apply(self, orders, operation):
        kind, index, amount = operation
        confirmed = orders.filtered(lambda order: order.state == "sale")
        cancelled = orders.filtered(lambda order: order.state == "cancel")
        if kind == "order" or not orders:
            return orders | self._order(self.customer, 0, amount)
        if kind == "cancel" and confirmed:
            confirmed[index % len(confirmed)]._action_cancel()
        elif kind == "reconfirm" and cancelled:
            order = cancelled[index % len(cancelled)]
            order.action_draft()
            order.action_confirm()
        elif kind == "amount" and confirmed:
            confirmed[index % len(confirmed)].order_line[:1].price_unit = amount
        return orders

    if st is not None:

        @property_settings(max_examples=30)
        @given(operations=operation_lists)
        def test_balance_is_one_stamp_per_hundred(self, operations):
            with closing(self.env.cr.savepoint()):
                orders = self.env["sale.order"]
                for operation in operations:
                    orders = self._apply(orders, operation)
                self._commit_hooks()
                total = sum(
                    orders.filtered(lambda o: o.state == "sale").mapped(
                        "amount_untaxed"
                    )
                )
                expected = int(float_round(total, 2) // 100)
                self.assertEqual(self._balance(), expected, operations)
