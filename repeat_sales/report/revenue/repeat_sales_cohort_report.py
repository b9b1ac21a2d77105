# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RepeatSalesCohortReport(models.Model):
    """Cohort retention: customers by month of first order, and who came back.

    One row per company, cohort month and number of months since: how many of
    the cohort's customers ordered in that month, and their share of the cohort.
    Month 0 is the month of the first order (every customer of the cohort).
    """

    _name = "repeat.sales.cohort.report"
    _inherit = ["repeat.sales.report.mixin"]
    _description = "Customer Cohort Retention"
    _auto = False
    _order = "cohort_month desc, months_since"
    _rec_name = "cohort_month"
    _depends = {
        "sale.order": [
            "state",
            "partner_id",
            "company_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    cohort_month = fields.Date(string="First Order Month", readonly=True)
    months_since = fields.Integer(readonly=True, aggregator="max")
    cohort_size = fields.Integer(
        string="Customers in Cohort", readonly=True, aggregator="max"
    )
    customer_count = fields.Integer(
        string="Customers Who Ordered", readonly=True, aggregator="sum"
    )
    retention = fields.Float(
        string="Share Who Ordered (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )

    def _repeat_ratio_sql(self, fname, query):
        # The share of several cells is that of the customers they hold: the
        # cohorts pooled, a large cohort weighing more than a small one.
        if fname == "retention":
            return (
                SQL(
                    "100.0 * %s",
                    self._field_to_sql(self._table, "customer_count", query),
                ),
                self._field_to_sql(self._table, "cohort_size", query),
            )
        return ()

    @property
    def _table_query(self):
        return SQL(
            """
            WITH orders AS (%(orders)s),
            cohorts AS (
                SELECT partner_id, company_id,
                       date_trunc('month', MIN(date))::date AS cohort_month
                  FROM orders
              GROUP BY partner_id, company_id
            ),
            activity AS (
                SELECT DISTINCT cohorts.company_id, cohorts.cohort_month,
                       cohorts.partner_id,
                       (EXTRACT(YEAR FROM AGE(date_trunc('month', orders.date),
                                              cohorts.cohort_month)) * 12
                        + EXTRACT(MONTH FROM AGE(date_trunc('month', orders.date),
                                                 cohorts.cohort_month)))::integer
                           AS months_since
                  FROM orders
                  JOIN cohorts USING (partner_id, company_id)
            ),
            sizes AS (
                SELECT company_id, cohort_month, COUNT(*) AS cohort_size
                  FROM cohorts
              GROUP BY company_id, cohort_month
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY activity.company_id, activity.cohort_month,
                                activity.months_since) AS id,
                   activity.company_id, activity.cohort_month, activity.months_since,
                   sizes.cohort_size::integer AS cohort_size,
                   COUNT(*)::integer AS customer_count,
                   ROUND(100.0 * COUNT(*) / sizes.cohort_size, 1)::float AS retention
              FROM activity
              JOIN sizes USING (company_id, cohort_month)
          GROUP BY activity.company_id, activity.cohort_month, activity.months_since,
                   sizes.cohort_size
            """,
            orders=self.env["repeat.sales.order.report"]._ranked_orders_sql(),
        )
