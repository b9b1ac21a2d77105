# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged
from odoo.tools import SQL

from ..common import RepeatSalesCommon

# The cohort table as a plain recount of the orders that count.
RECOUNT = """
    WITH orders AS (%(facts)s),
    cohorts AS (
        SELECT partner_id, company_id,
               date_trunc('month', MIN(order_date))::date AS cohort_month
          FROM orders GROUP BY partner_id, company_id
    ),
    activity AS (
        SELECT DISTINCT cohorts.company_id, cohorts.cohort_month, cohorts.partner_id,
               (EXTRACT(YEAR FROM AGE(date_trunc('month', orders.order_date),
                                      cohorts.cohort_month)) * 12
                + EXTRACT(MONTH FROM AGE(date_trunc('month', orders.order_date),
                                         cohorts.cohort_month)))::integer AS months
          FROM orders JOIN cohorts USING (partner_id, company_id)
    ),
    sizes AS (
        SELECT company_id, cohort_month, COUNT(*) AS size
          FROM cohorts GROUP BY company_id, cohort_month
    )
    SELECT activity.company_id, activity.cohort_month, activity.months,
           sizes.size, COUNT(*), ROUND(100.0 * COUNT(*) / sizes.size, 1)::float
      FROM activity JOIN sizes USING (company_id, cohort_month)
  GROUP BY 1, 2, 3, 4
"""


@tagged("post_install", "-at_install")
class TestReportTables(RepeatSalesCommon):
    """The nightly step's cohort table equals a recount of the orders, from
    the changed customers alone as from every order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cohort = cls.env["repeat.sales.cohort.report"]
        cls.Tables = cls.env["repeat.sales.report.tables"]
        Partner = cls.env["res.partner"]
        cls.first_month = cls.today + relativedelta(day=1, months=-5)
        cls.loyal, cls.once, cls.newcomer = Partner.create(
            [{"name": "Table Loyal"}, {"name": "Table Once"}, {"name": "Table New"}]
        )
        cls.orders = {}
        for partner, months in ((cls.loyal, 0), (cls.loyal, 2), (cls.once, 1)):
            cls.orders[partner, months] = cls._placed(partner, months)
        cls.env.flush_all()
        cls.Tables._cron_refresh(full=True)

    @classmethod
    def _placed(cls, partner, months, amount=100.0):
        placed = cls.first_month + relativedelta(months=months)
        return cls._order(partner, (cls.today - placed).days, amount)

    def _table(self):
        self.env.invalidate_all()
        return {
            (row.company_id.id, row.cohort_month, row.months_since): (
                row.cohort_size,
                row.customer_count,
                row.retention,
            )
            for row in self.Cohort.search([])
        }

    def _orders(self):
        self.env.invalidate_all()
        return {
            row.order_id.id: (
                row.partner_id.id,
                row.company_id.id,
                row.date,
                row.order_rank,
                row.order_kind,
                row.amount,
            )
            for row in self.env["repeat.sales.order.report"].search([])
        }

    def _ranked(self):
        """The orders ranked by the window function over every order."""
        self.env.cr.execute(
            SQL(
                """SELECT id, partner_id, company_id, date, order_rank, amount
                     FROM (%s) ranked""",
                self.env["repeat.sales.order.report"]._ranked_orders_sql(),
            )
        )
        return {
            row[0]: (*row[1:5], "first" if row[4] == 1 else "repeat", row[5])
            for row in self.env.cr.fetchall()
        }

    def _recount(self):
        self.env.flush_all()
        facts = self.env["repeat.sales.order.facts"]._orders_sql()
        self.env.cr.execute(SQL(RECOUNT, facts=facts))
        return {tuple(row[:3]): tuple(row[3:]) for row in self.env.cr.fetchall()}

    def test_full_computation_equals_the_recount(self):
        table = self._table()
        self.assertEqual(table, self._recount())
        self.assertEqual(self._orders(), self._ranked())
        cell = (self.company.id, self.first_month, 2)
        self.assertEqual(table[cell], (table[cell][0], 1, table[cell][2]))

    def test_a_night_reads_the_changed_customers_and_equals_the_recount(self):
        # A new customer, a repeat order of a known one this month, a
        # cancelled order moving a customer to a later cohort... and one
        # customer gone from the cohorts altogether.
        self._placed(self.newcomer, 0)
        self._placed(self.loyal, 5)
        self.orders[self.loyal, 0]._action_cancel()
        self.orders[self.once, 1]._action_cancel()
        self.env.flush_all()
        Cohort = type(self.Cohort)
        with patch.object(Cohort, "_refresh_all", autospec=True) as full:
            self.Tables._cron_refresh()
        full.assert_not_called()
        table = self._table()
        self.assertEqual(table, self._recount())
        self.assertEqual(self._orders(), self._ranked())
        # The loyal customer's cohort is now its third month (its first
        # order was cancelled), with this month's order 3 months after.
        cohort = self.first_month + relativedelta(months=2)
        self.assertEqual(table[self.company.id, cohort, 3], (1, 1, 100.0))
        self.assertNotIn(
            (self.company.id, self.first_month + relativedelta(months=1), 0), table
        )
        # Computed again from every order: the same cells.
        self.Tables._cron_refresh(full=True)
        self.assertEqual(self._table(), table)
        self.assertEqual(self._orders(), self._ranked())

    def test_an_order_moved_to_another_customer_leaves_the_first(self):
        self.orders[self.once, 1].partner_id = self.newcomer
        self.env.flush_all()
        self.Tables._cron_refresh()
        self.assertEqual(self._table(), self._recount())
        orders = self._orders()
        self.assertEqual(orders, self._ranked())
        self.assertEqual(orders[self.orders[self.once, 1].id][0], self.newcomer.id)

    def test_rows_say_as_of_when(self):
        self.Tables._cron_refresh()
        marker = self.Tables._marker()
        row = self.Cohort.search([], limit=1)
        self.assertEqual(
            row.as_of.strftime("%Y-%m-%d %H:%M:%S"), marker["since"].split(".")[0]
        )

    def test_the_report_waits_for_the_night(self):
        """An order confirmed during the day shows after the next run."""
        before = self._table()
        self._placed(self.newcomer, 4)
        self.env.flush_all()
        self.assertEqual(self._table(), before)
        self.Tables._cron_refresh()
        self.assertNotEqual(self._table(), before)
        self.assertEqual(self._table(), self._recount())
