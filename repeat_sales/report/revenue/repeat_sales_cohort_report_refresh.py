# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
import logging

from odoo import api, models
from odoo.tools import SQL

from ...db_tuning import (
    analyze,
    create_analyzed_temp_table,
    insert_without_keys,
)
from ..repeat_sales_report_tables import CHANGED_TABLE

_logger = logging.getLogger(__name__)

# One row per customer, company and month with an order: what the cohort
# table adds up, kept so that a night changes only its customers' cells.
ACTIVITY_TABLE = "repeat_sales_cohort_activity"
DELTA_TABLE = "repeat_sales_cohort_delta"


def _months_between(start, end):
    """Whole months from the month ``start`` to the month ``end``."""
    return SQL(
        """(EXTRACT(YEAR FROM AGE(%(end)s, %(start)s)) * 12
            + EXTRACT(MONTH FROM AGE(%(end)s, %(start)s)))::integer""",
        start=start,
        end=end,
    )


class RepeatSalesCohortReport(models.Model):
    """The cohort table brought up to date by the nightly ``reports`` step."""

    _inherit = "repeat.sales.cohort.report"

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %(table)s (
                       partner_id integer NOT NULL,
                       company_id integer NOT NULL,
                       month date NOT NULL,
                       PRIMARY KEY (partner_id, company_id, month))""",
                table=SQL.identifier(ACTIVITY_TABLE),
            )
        )
        return res

    @api.model
    def _activity_sql(self, **order_filters):
        """(customer, company, month) of the orders that count, once each."""
        return SQL(
            """SELECT DISTINCT facts.partner_id, facts.company_id,
                      date_trunc('month', facts.order_date)::date AS month
                 FROM (%s) facts""",
            self.env["repeat.sales.order.facts"]._orders_sql(**order_filters),
        )

    @api.model
    def _refresh_all(self):
        cr = self.env.cr
        table = SQL.identifier(ACTIVITY_TABLE)
        cr.execute(SQL("TRUNCATE %s", table))
        insert_without_keys(
            cr, ACTIVITY_TABLE, SQL("INSERT INTO %s %s", table, self._activity_sql())
        )
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        cr.execute(
            SQL(
                """
                WITH activity AS (
                    SELECT company_id, month,
                           MIN(month) OVER (PARTITION BY partner_id, company_id)
                               AS cohort_month
                      FROM %(activity)s
                ),
                cells AS (
                    SELECT company_id, cohort_month,
                           %(months)s AS months_since, COUNT(*) AS customer_count
                      FROM activity
                  GROUP BY company_id, cohort_month, months_since
                )
                INSERT INTO %(report)s
                       (company_id, cohort_month, months_since, cohort_size,
                        customer_count, retention)
                SELECT cells.company_id, cells.cohort_month, cells.months_since,
                       sizes.customer_count, cells.customer_count,
                       ROUND(100.0 * cells.customer_count / sizes.customer_count, 1)
                  FROM cells
                  JOIN cells sizes
                    ON sizes.company_id = cells.company_id
                   AND sizes.cohort_month = cells.cohort_month
                   AND sizes.months_since = 0
                """,
                activity=table,
                months=_months_between(SQL("cohort_month"), SQL("month")),
                report=SQL.identifier(self._table),
            )
        )
        analyze(cr, [ACTIVITY_TABLE, self._table])
        _logger.info("repeat_sales: cohort cells computed from every order")

    @api.model
    def _refresh_customers(self, partner_ids):
        """Replace the activity of the changed customers (CHANGED_TABLE) and
        add the difference to their cohorts' cells."""
        cr = self.env.cr
        activity, changed = (
            SQL.identifier(ACTIVITY_TABLE),
            SQL.identifier(CHANGED_TABLE),
        )
        # Their cells as they were, taken away (-1), then their cells now
        # added (+1): the difference is what changes in the table.
        create_analyzed_temp_table(
            cr,
            DELTA_TABLE,
            SQL(
                """SELECT company_id, month, -1 AS change,
                          MIN(month) OVER (PARTITION BY partner_id, company_id)
                              AS cohort_month
                     FROM %(activity)s
                     JOIN %(changed)s USING (partner_id, company_id)""",
                activity=activity,
                changed=changed,
            ),
        )
        cr.execute(
            SQL(
                """DELETE FROM %(activity)s
                    USING %(changed)s
                    WHERE %(activity)s.partner_id = %(changed)s.partner_id
                      AND %(activity)s.company_id = %(changed)s.company_id""",
                activity=activity,
                changed=changed,
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO %(activity)s
                   SELECT fresh.* FROM (%(fresh)s) fresh
                     JOIN %(changed)s USING (partner_id, company_id)""",
                activity=activity,
                changed=changed,
                fresh=self._activity_sql(partner_ids=partner_ids),
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO %(delta)s (company_id, month, change, cohort_month)
                   SELECT company_id, month, 1,
                          MIN(month) OVER (PARTITION BY partner_id, company_id)
                     FROM %(activity)s
                     JOIN %(changed)s USING (partner_id, company_id)""",
                delta=SQL.identifier(DELTA_TABLE),
                activity=activity,
                changed=changed,
            )
        )
        self._apply_delta()
        _logger.info(
            "repeat_sales: cohort cells of %s changed customers refreshed",
            len(partner_ids),
        )

    @api.model
    def _apply_delta(self):
        """Add the delta table's changes to the cells, then set the sizes and
        shares of the cohorts it touched."""
        cr = self.env.cr
        report = SQL.identifier(self._table)
        cr.execute(
            SQL(
                """
                WITH changes AS (
                    SELECT company_id, cohort_month, %(months)s AS months_since,
                           SUM(change) AS change
                      FROM %(delta)s
                  GROUP BY company_id, cohort_month, months_since
                    HAVING SUM(change) <> 0
                )
                INSERT INTO %(report)s AS cell
                       (company_id, cohort_month, months_since, cohort_size,
                        customer_count, retention)
                SELECT company_id, cohort_month, months_since, 0, change, 0
                  FROM changes
                ON CONFLICT (company_id, cohort_month, months_since)
                DO UPDATE SET customer_count = cell.customer_count
                                               + EXCLUDED.customer_count
                """,
                months=_months_between(SQL("cohort_month"), SQL("month")),
                delta=SQL.identifier(DELTA_TABLE),
                report=report,
            )
        )
        cr.execute(
            SQL(
                """
                WITH touched AS (
                    SELECT DISTINCT company_id, cohort_month FROM %(delta)s
                ),
                gone AS (
                    DELETE FROM %(report)s cell
                     USING touched
                     WHERE cell.company_id = touched.company_id
                       AND cell.cohort_month = touched.cohort_month
                       AND cell.customer_count = 0
                )
                UPDATE %(report)s cell
                   SET cohort_size = sizes.customer_count,
                       retention = ROUND(
                           100.0 * cell.customer_count / sizes.customer_count, 1)
                  FROM touched
                  JOIN %(report)s sizes
                    ON sizes.company_id = touched.company_id
                   AND sizes.cohort_month = touched.cohort_month
                   AND sizes.months_since = 0
                 WHERE cell.company_id = touched.company_id
                   AND cell.cohort_month = touched.cohort_month
                   AND cell.customer_count > 0
                """,
                delta=SQL.identifier(DELTA_TABLE),
                report=report,
            )
        )
        self.invalidate_model()
