# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestRepeatRevenueReports(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_report_seller", "sales_team.group_sale_salesman")
        cls.first_month = cls.today + relativedelta(day=1, months=-6)
        Partner = cls.env["res.partner"]
        cls.loyal = Partner.create({"name": "Loyal"})
        cls.once = Partner.create({"name": "Once"})
        cls.later = Partner.create({"name": "Later"})
        history = [
            (cls.loyal, 0, 2, 100.0),
            (cls.loyal, 1, 2, 200.0),
            (cls.loyal, 3, 2, 300.0),
            (cls.once, 0, 5, 10.0),
            (cls.later, 1, 3, 30.0),
            (cls.later, 2, 3, 40.0),
        ]
        for partner, months, day, amount in history:
            placed = cls.first_month + relativedelta(months=months, days=day)
            order = cls._order(partner, (cls.today - placed).days, amount)
            if partner == cls.loyal:
                order.user_id = cls.seller
        cls.env.flush_all()
        # Cohorts are a table the nightly chain keeps: its step, as at night.
        cls.env["repeat.sales.report.tables"]._cron_refresh()

    def _month(self, months):
        return self.first_month + relativedelta(months=months)

    def test_first_and_repeat_revenue_per_month(self):
        rows = self.env["repeat.sales.order.report"]._read_group(
            [], ["date:month", "order_kind"], ["amount:sum", "__count"]
        )
        figures = {
            (month, kind): (amount, count) for month, kind, amount, count in rows
        }
        self.assertEqual(
            figures,
            {
                (self._month(0), "first"): (110.0, 2),
                (self._month(1), "first"): (30.0, 1),
                (self._month(1), "repeat"): (200.0, 1),
                (self._month(2), "repeat"): (40.0, 1),
                (self._month(3), "repeat"): (300.0, 1),
            },
        )

    def test_cohort_retention(self):
        rows = self.env["repeat.sales.cohort.report"].search([])
        table = {
            (row.cohort_month, row.months_since): (
                row.cohort_size,
                row.customer_count,
                row.retention,
            )
            for row in rows
        }
        self.assertEqual(
            table,
            {
                (self._month(0), 0): (2, 2, 100.0),
                (self._month(0), 1): (2, 1, 50.0),
                (self._month(0), 3): (2, 1, 50.0),
                (self._month(1), 0): (1, 1, 100.0),
                (self._month(1), 1): (1, 1, 100.0),
            },
        )

    def test_cohort_retention_totals_pool_the_cohorts(self):
        Report = self.env["repeat.sales.cohort.report"]
        # A month after the first order: 1 of 2 customers, and 1 of 1: 2 of 3
        # customers came back (not the mean of 50% and 100%).
        groups = Report.read_group(
            [("months_since", "=", 1)], ["retention:avg"], ["months_since"]
        )
        self.assertAlmostEqual(groups[0]["retention"], 200.0 / 3)
        # All cells: 6 customers who ordered of 8 in their cohorts' months.
        [total] = Report.read_group([], ["retention:avg"], [])
        self.assertAlmostEqual(total["retention"], 75.0)

    def test_salesperson_sees_own_orders_and_no_cohorts(self):
        Report = self.env["repeat.sales.order.report"].with_user(self.seller)
        self.assertEqual(Report.search([]).partner_id, self.loyal)
        self.assertEqual(sum(Report.search([]).mapped("amount")), 600.0)
        with self.assertRaises(AccessError):
            self.env["repeat.sales.cohort.report"].with_user(self.seller).search([])
        manager = self._user("rs_report_manager", "sales_team.group_sale_manager")
        self.assertEqual(
            len(self.env["repeat.sales.order.report"].with_user(manager).search([])), 6
        )
