# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import date, timedelta
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import SQL

from ..common import RepeatSalesCommon

ADDON = Path(__file__).resolve().parents[2]
OWNER = "models/engine/order_facts.py"
# What counts as an order, written outside the owner: SQL, domains, Python.
COUNTED_RULE = re.compile(
    r"""state\s*=\s*'sale'"""
    r"""|\(\s*["']state["']\s*,\s*["']=["']\s*,\s*["']sale["']\s*\)"""
    r"""|\.state\s*==\s*["']sale["']"""
)


@tagged("post_install", "-at_install")
class TestOrderFacts(RepeatSalesCommon):
    """The order facts owner: its rows are the orders a plain recount finds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Facts = cls.env["repeat.sales.order.facts"]
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ann", "parent_id": cls.customer.id}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Tiles"})

    def _facts(self, **filters):
        self.env.cr.execute(
            SQL(
                """SELECT order_id, partner_id, company_id, order_date, amount
                     FROM (%s) facts""",
                self.Facts._orders_sql(**filters),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _recount(self, orders):
        """The same orders counted in plain Python."""
        self.env.invalidate_all()
        return {
            order.id: (
                order.partner_id.commercial_partner_id.id,
                order.company_id.id,
                order.date_order.date(),
                order.company_id.currency_id.round(
                    order.amount_untaxed / (order.currency_rate or 1.0)
                ),
            )
            for order in orders
            if order.state == "sale"
        }

    def _history(self):
        """Confirmed, draft and cancelled orders, a contact's, a foreign
        currency's and another company's."""
        self._enable_pricelists()
        foreign = self.env["res.currency"].create(
            {"name": "RSX", "symbol": "R", "rounding": 0.01}
        )
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "company_id": self.company.id,
                "name": date(2000, 1, 1),
                "rate": 3.0,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "RSX prices", "currency_id": foreign.id}
        )
        orders = (
            self._order(self.customer, 40, 100.0)
            | self._order(self.contact, 20, 1000.0, pricelist=pricelist)
            | self._order(self.contact, 5, 70.0)
            | self._order(self.customer, 3, 90.0, company=self.other_company)
        )
        cancelled = self._order(self.customer, 10, 500.0)
        cancelled._action_cancel()
        draft = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "date_order": self._days_ago(2)}
        )
        return orders | cancelled | draft

    def test_counted_orders_equal_a_plain_recount(self):
        orders = self._history()
        facts = self._facts()
        mine = {key: value for key, value in facts.items() if key in orders.ids}
        self.assertEqual(mine, self._recount(orders))
        self.assertEqual(len(mine), 4, "draft and cancelled orders do not count")
        foreign = orders.filtered(lambda order: order.amount_untaxed == 1000.0)
        self.assertEqual(facts[foreign.id][3], 333.33, "1,000 RSX at 3 per unit")
        self.assertEqual(facts[foreign.id][0], self.customer.id, "the contact rolls up")

    def test_filters(self):
        orders = self._history()
        recount = self._recount(orders)
        in_company = {
            key: value for key, value in recount.items() if value[1] == self.company.id
        }
        self.assertEqual(
            self._facts(partner_ids=[self.customer.id], company_ids=[self.company.id]),
            in_company,
        )
        window = {
            key: value
            for key, value in in_company.items()
            if self.today - timedelta(days=20)
            <= value[2]
            <= self.today - timedelta(days=5)
        }
        self.assertEqual(len(window), 2)
        self.assertEqual(
            self._facts(
                partner_ids=[self.customer.id],
                company_ids=[self.company.id],
                date_from=self.today - timedelta(days=20),
                date_to=self.today - timedelta(days=5),
            ),
            window,
        )
        self.assertEqual(
            self._facts(
                partner_ids=[self.customer.id],
                company_ids=[self.company.id],
                date_from=self.today - timedelta(days=20),
                date_before=self.today - timedelta(days=5),
            ),
            {
                key: value
                for key, value in window.items()
                if value[2] < self.today - timedelta(days=5)
            },
        )
        self.assertFalse(self._facts(partner_ids=[self.contact.id]))

    def test_filters_given_as_sql_through_a_lateral(self):
        # Each company's orders up to a day, read through a LATERAL whose
        # filters are columns of the outer query (aliased like the owner's
        # own tables would be in a naive subquery).
        orders = self._history()
        recount = self._recount(orders)
        self.env.cr.execute(
            SQL(
                """SELECT company.id, x.orders, x.revenue
                     FROM res_company company,
                          LATERAL (SELECT %s::date AS day) so,
                          LATERAL (SELECT COUNT(*) AS orders,
                                          SUM(facts.amount) AS revenue
                                     FROM (%s) facts) x
                    WHERE company.id = ANY(%s)""",
                self.today - timedelta(days=4),
                self.Facts._orders_sql(
                    partner_ids=SQL("%s", self.customer.id),
                    company_ids=SQL("company.id"),
                    date_to=SQL("so.day"),
                ),
                [self.company.id, self.other_company.id],
            )
        )
        expected = {}
        for _partner, company_id, day, amount in recount.values():
            if day <= self.today - timedelta(days=4):
                count, revenue = expected.get(company_id, (0, 0.0))
                expected[company_id] = (count + 1, revenue + amount)
        got = {
            company_id: (count, float(revenue or 0))
            for company_id, count, revenue in self.env.cr.fetchall()
        }
        self.assertEqual(got, {**{self.other_company.id: (0, 0.0)}, **expected})
        self.assertEqual(got[self.company.id][0], 3)

    def test_orm_domain_and_predicate_agree_with_sql(self):
        orders = self._history()
        counted = orders.filtered_domain(self.Facts._counted_domain())
        self.assertEqual(sorted(counted.ids), sorted(self._recount(orders)))
        self.assertEqual(self.Facts._counted(orders), counted)
        facts = self._facts()
        self.assertEqual(
            {order.id: self.Facts._amount(order) for order in counted},
            {order.id: facts[order.id][3] for order in counted},
        )

    def test_the_owner_is_the_only_place_that_says_what_counts(self):
        found = set()
        for path in ADDON.rglob("*.py"):
            relative = path.relative_to(ADDON).as_posix()
            if relative.startswith("tests/"):
                continue
            if COUNTED_RULE.search(path.read_text(encoding="utf-8")):
                found.add(relative)
        self.assertIn(OWNER, found, "the pattern finds the owner")
        self.assertEqual(found, {OWNER})

    def test_base_sale_order_names_no_part(self):
        source = (ADDON / "models/sale_order.py").read_text(encoding="utf-8")
        for name in (
            "repeat.sales.followup",
            "repeat.sales.call",
            "repeat.sales.offer",
            "repeat.sales.stamp",
            "repeat.sales.loyalty",
            "repeat.sales.partner.stat",
            "repeat.sales.order.facts",
            "loyalty",
        ):
            self.assertNotIn(name, source)
            self.assertNotIn(name.replace(".", "_"), source)
