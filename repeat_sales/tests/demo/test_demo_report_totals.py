# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders, customers, calls and follow-ups: demo report totals against SQL."""

from odoo.tests import tagged

from ... import compat
from .report_totals_common import DemoReportTotalsCase


@tagged("post_install", "-at_install")
class TestDemoReportTotals(DemoReportTotalsCase):
    # ------------------------------------------------------------------
    # Orders and customers
    # ------------------------------------------------------------------

    def test_repeat_revenue_first_and_repeat_orders(self):
        self._check(
            "repeat.sales.order.report",
            ["amount"],
            ["order_kind"],
            "SELECT SUM(amount) FROM (%(facts)s) facts",
            f"""SELECT CASE WHEN {self.FIRST} THEN 'first' ELSE 'repeat' END,
                       SUM(amount)
                  FROM (%(facts)s) facts GROUP BY 1""",
        )
        read = self._read("repeat.sales.order.report", ["amount"], ["order_kind"])
        [(customers, orders)] = self._sql(
            """SELECT COUNT(DISTINCT (partner_id, company_id)), COUNT(*)
                 FROM (%(facts)s) facts"""
        )
        rows = compat.formatted_read_group(
            self.env["repeat.sales.order.report"], [], ["order_kind"], []
        )
        counts = {row["order_kind"]: row["__count"] for row in rows}
        self.assertEqual(counts, {"first": customers, "repeat": orders - customers})
        self.assertEqual(len(read), 2)

    def test_customer_recency_per_segment(self):
        stat = "repeat_sales_partner_stat"
        joined = f"""FROM (%(facts)s) facts
                     JOIN {stat} stat ON stat.partner_id = facts.partner_id
                                     AND stat.company_id = facts.company_id"""
        self._check(
            "repeat.sales.partner.stat",
            ["revenue", "order_count", "average_order_value"],
            ["segment"],
            f"SELECT SUM(amount), COUNT(*), SUM(amount) / COUNT(*) {joined}",
            f"""SELECT stat.segment, SUM(amount), COUNT(*), SUM(amount) / COUNT(*)
                  {joined} GROUP BY stat.segment""",
        )
        # Every customer with a counted order has its row, and no other.
        [(customers, rows)] = self._sql(
            f"""SELECT (SELECT COUNT(DISTINCT (partner_id, company_id))
                          FROM (%(facts)s) facts),
                       (SELECT COUNT(*) FROM {stat})"""
        )
        self.assertEqual(customers, rows)

    def test_sleeping_cost_counts_todays_sleeping_customers(self):
        joined = """FROM (%(facts)s) facts
                    JOIN repeat_sales_partner_stat stat
                      ON stat.partner_id = facts.partner_id
                     AND stat.company_id = facts.company_id
                   WHERE stat.segment = 'sleeping'"""
        [total] = self._sql(
            f"""SELECT COUNT(DISTINCT facts.partner_id), COUNT(*), SUM(amount),
                       SUM(amount) / COUNT(*) {joined}"""
        )
        self._assert_figures(
            self._read(
                "repeat.sales.sleeping.cost.report",
                ["sleeping_count", "order_count", "revenue", "average_order"],
            ),
            {(): total},
        )

    def test_cohorts_count_customers_and_their_active_months(self):
        cohorts = """SELECT partner_id, company_id,
                            date_trunc('month', MIN(order_date))::date AS month
                       FROM (%(facts)s) facts GROUP BY 1, 2"""
        [(active,)] = self._sql(
            """SELECT COUNT(DISTINCT (partner_id, company_id,
                                      date_trunc('month', order_date)))
                 FROM (%(facts)s) facts"""
        )
        [total] = self._read("repeat.sales.cohort.report", ["customer_count"]).values()
        self.assertEqual(total, (active,))
        sizes = {
            (month,): (size, size)
            for month, size in self._sql(
                f"SELECT month, COUNT(*) FROM ({cohorts}) cohorts GROUP BY month"
            )
        }
        # Grouped by cohort, its size; and its first month has every customer.
        rows = self.env["repeat.sales.cohort.report"]._read_group(
            [("months_since", "=", 0)],
            ["cohort_month:month"],
            ["cohort_size:max", "customer_count:sum"],
        )
        read = {(month,): (size, count) for month, size, count in rows}
        self.assertEqual(read, sizes)

    def test_cohort_retention_pools_the_customers_of_its_cells(self):
        # Each cell (cohort, months since its first order) holds the cohort's
        # customers who ordered that month; a total is all of them over all
        # the cells' cohort sizes.
        cells = """WITH cohorts AS (
                        SELECT partner_id, company_id,
                               date_trunc('month', MIN(order_date))::date AS month
                          FROM (%(facts)s) facts GROUP BY 1, 2),
                    sizes AS (
                        SELECT company_id, month, COUNT(*) AS size
                          FROM cohorts GROUP BY 1, 2),
                    active AS (
                        SELECT DISTINCT cohorts.company_id, cohorts.month,
                               cohorts.partner_id,
                               date_trunc('month', facts.order_date) AS ordered
                          FROM (%(facts)s) facts
                          JOIN cohorts USING (partner_id, company_id)),
                    cells AS (
                        SELECT active.company_id, active.month, active.ordered,
                               COUNT(*) AS customers, MIN(sizes.size) AS size
                          FROM active JOIN sizes USING (company_id, month)
                      GROUP BY 1, 2, 3)"""
        self._check(
            "repeat.sales.cohort.report",
            ["customer_count", "retention"],
            ["cohort_month:month"],
            f"""{cells} SELECT SUM(customers), 100.0 * SUM(customers) / SUM(size)
                          FROM cells""",
            f"""{cells} SELECT to_char(month, 'FMMonth YYYY'), SUM(customers),
                               100.0 * SUM(customers) / SUM(size)
                          FROM cells GROUP BY month""",
        )

    # ------------------------------------------------------------------
    # Calls, follow-ups, salespeople
    # ------------------------------------------------------------------

    def test_call_analysis_per_caller(self):
        self._check(
            "repeat.sales.call",
            ["won_amount"],
            ["user_id"],
            "SELECT SUM(won_amount) FROM repeat_sales_call WHERE active",
            """SELECT user_id, SUM(won_amount) FROM repeat_sales_call
                WHERE active GROUP BY user_id""",
        )
        rows = compat.formatted_read_group(self.env["repeat.sales.call"], [], [], [])
        [(calls,)] = self._sql("SELECT COUNT(*) FROM repeat_sales_call WHERE active")
        self.assertEqual(rows[0]["__count"], calls)

    def test_salesperson_kpis(self):
        self._check(
            "repeat.sales.salesperson.report",
            ["calls_made", "calls_reached", "repeat_orders", "repeat_revenue"],
            ["user_id"],
            f"""SELECT (SELECT COUNT(*) FROM repeat_sales_call WHERE active),
                       (SELECT COUNT(*) FROM repeat_sales_call
                         WHERE active AND reached),
                       COUNT(*) FILTER (WHERE NOT {self.FIRST}),
                       SUM(amount) FILTER (WHERE NOT {self.FIRST})
                  FROM (%(facts)s) facts""",
            f"""SELECT user_id, SUM(calls), SUM(reached), SUM(orders), SUM(revenue)
                  FROM (SELECT user_id, 1 AS calls, reached::int AS reached,
                               0 AS orders, 0 AS revenue
                          FROM repeat_sales_call WHERE active
                     UNION ALL
                        SELECT user_id, 0, 0, 1, amount FROM (%(facts)s) facts
                         WHERE NOT {self.FIRST}) events
              GROUP BY user_id""",
        )

    def test_reactivation_funnel_per_channel(self):
        # A touch is a follow-up e-mail or activity of a "no order" step (not
        # logged as a call) or a call; contacted when done or reached; ordered
        # when an order came within 30 days of the contact.
        touches = """
            WITH touches AS (
                SELECT followup.partner_id, followup.company_id,
                       CASE WHEN step.action = 'email' THEN 'email'
                            WHEN step.is_call THEN 'call'
                            ELSE 'activity' END AS channel,
                       CASE WHEN followup.state = 'done'
                            THEN followup.done_date END AS contacted_on
                  FROM repeat_sales_followup followup
                  JOIN repeat_sales_followup_step step
                    ON step.id = followup.step_id
                 WHERE step.trigger = 'no_order'
                   AND step.action IN ('email', 'activity')
                   AND followup.state IN ('pending', 'done', 'skipped')
                   AND followup.id NOT IN (
                       SELECT followup_id FROM repeat_sales_call
                        WHERE active AND followup_id IS NOT NULL)
             UNION ALL
                SELECT partner_id, company_id, 'call',
                       CASE WHEN reached THEN call_date::date END
                  FROM repeat_sales_call WHERE active),
            results AS (
                SELECT touches.*,
                       (SELECT SUM(facts.amount) FROM (%(facts)s) facts
                         WHERE facts.partner_id = touches.partner_id
                           AND facts.company_id = touches.company_id
                           AND facts.order_date BETWEEN touches.contacted_on
                               AND touches.contacted_on + 30) AS revenue
                  FROM touches)"""
        figures = """COUNT(*), COUNT(contacted_on), COUNT(revenue),
                     COALESCE(SUM(revenue), 0)"""
        self._check(
            "repeat.sales.reactivation.report",
            ["targeted", "contacted", "ordered", "revenue"],
            ["channel"],
            f"{touches} SELECT {figures} FROM results",
            f"{touches} SELECT channel, {figures} FROM results GROUP BY channel",
        )
