# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestScreensReportTotals(RepeatSalesCommon):
    """Each report's group rows and grand totals equal a plain SQL recount."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Ann", "Bob", "Cid")]
        )
        cls.ann, cls.bob, cls.cid = partners
        cls.env["res.partner"].create(
            [{"name": f"Contact {n}", "parent_id": cls.cid.id} for n in range(3)]
        )
        cls._order(cls.ann, 10, 100.0)
        for days, amount in ((160, 100.0), (100, 200.0), (40, 300.0)):
            cls._order(cls.bob, days, amount)
        for days, amount in ((300, 1000.0), (200, 1000.0)):
            cls._order(cls.cid, days, amount)
        cls.env.cr.flush()
        cls.env["repeat.sales.segment.snapshot"]._backfill(months=3)

    def _sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        return self.env.cr.fetchone()

    def test_customer_recency_averages_are_weighted(self):
        Stat = self.env["repeat.sales.partner.stat"]
        fields = ["average_order_value", "average_gap_days", "revenue", "order_count"]
        [total] = Stat.read_group([], fields, [])
        revenue, orders, span, gaps = self._sql(
            """SELECT SUM(revenue), SUM(order_count),
                      SUM(last_order_date - first_order_date), SUM(order_count - 1)
                 FROM repeat_sales_partner_stat"""
        )
        self.assertEqual((total["revenue"], total["order_count"]), (revenue, orders))
        self.assertAlmostEqual(total["average_order_value"], revenue / orders)
        self.assertAlmostEqual(total["average_gap_days"], span / gaps)
        # 2,700 over 6 orders, not 100 + 200 + 1,000
        self.assertAlmostEqual(total["average_order_value"], 450.0)
        groups = Stat.read_group([], fields, ["segment"])
        sleeping = next(group for group in groups if group["segment"] == "sleeping")
        self.assertAlmostEqual(sleeping["average_order_value"], 1000.0)
        self.assertAlmostEqual(sleeping["average_gap_days"], 100.0)

    def test_segments_over_time_total_the_last_snapshot(self):
        Snapshot = self.env["repeat.sales.segment.snapshot"]
        self.assertGreater(len(set(Snapshot.search([]).mapped("date"))), 3)
        [total] = Snapshot.read_group([], ["customer_count", "revenue"], [])
        self.assertEqual(
            (total["customer_count"], total["revenue"]),
            self._sql("SELECT COUNT(*), SUM(revenue) FROM repeat_sales_partner_stat"),
        )
        for group in Snapshot.read_group(
            [], ["customer_count"], ["date:month"], lazy=False
        ):
            month_rows = Snapshot.search(group["__domain"])
            last_day = max(month_rows.mapped("date"))
            self.assertEqual(
                group["customer_count"],
                sum(
                    month_rows.filtered(lambda r, d=last_day: r.date == d).mapped(
                        "customer_count"
                    )
                ),
            )

    def test_sleeping_cost_totals_today(self):
        Report = self.env["repeat.sales.sleeping.cost.report"]
        self.assertGreater(Report.search_count([]), 1)
        [total] = Report.read_group(
            [], ["sleeping_count", "revenue", "order_count", "average_order"], []
        )
        count, revenue, orders = self._sql(
            """SELECT COUNT(*), SUM(revenue), SUM(order_count)
                 FROM repeat_sales_partner_stat WHERE segment = 'sleeping'"""
        )
        self.assertEqual(
            (total["sleeping_count"], total["revenue"], total["order_count"]),
            (count, revenue, orders),
        )
        self.assertAlmostEqual(total["average_order"], revenue / orders)

    def test_segment_filter_counts_customers_not_contacts(self):
        arch = self.env["res.partner"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        for name, expected in (("repeat_sleeping", self.cid), ("repeat_hot", self.ann)):
            start = arch.index(f'name="{name}"')
            domain_start = arch.index('domain="', start) + len('domain="')
            domain = arch[domain_start : arch.index('"', domain_start)]
            domain = safe_eval(domain.replace("&quot;", '"').replace("&amp;", "&"))
            self.assertEqual(self.env["res.partner"].search(domain), expected)
