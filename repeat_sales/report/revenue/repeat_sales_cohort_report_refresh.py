# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ...db_tuning import analyze, create_analyzed_temp_table, few_rows_plan

_logger = logging.getLogger(__name__)

# One row per customer, company and month with an order: what the cohort
# table adds up, kept so that a night changes only its customers' cells.
ACTIVITY_TABLE = "repeat_sales_cohort_activity"
# The refresh's marker: the start of its last run and the day of its last
# full computation.
MARKER_PARAM = "repeat_sales.cohort_state"
# Computed in full at least this often: what the night does not see (an
# order moved to another customer leaves the old one's month; a contact
# moved to another company; orders changed by a transaction still open
# across the run) is caught within a week.
FULL_EVERY_DAYS = 7
# Orders written this long before the last run's start are read again: a
# transaction open across that start wrote them with an earlier date.
SINCE_SLACK = timedelta(hours=1)
CHANGED_TABLE = "repeat_sales_cohort_changed"
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
    def _refresh_marker(self):
        # sudo: system parameters are admin-only; the report reads its own.
        value = self.env["ir.config_parameter"].sudo().get_param(MARKER_PARAM)
        return json.loads(value) if value else {}

    @api.model
    def _set_refresh_marker(self, marker):
        # sudo: as in _refresh_marker, the step's own system parameter.
        self.env["ir.config_parameter"].sudo().set_param(
            MARKER_PARAM, json.dumps(marker)
        )

    @api.model
    def _refresh(self, full=False):
        """Bring the cohort cells up to the orders committed now.

        From the customers with an order written since the last run when
        there is one (less than FULL_EVERY_DAYS after the last full
        computation); from every order otherwise. Both give the same cells.
        """
        marker = self._refresh_marker()
        started = self.env.cr.now()
        today = fields.Date.context_today(self)
        full_day = fields.Date.to_date(marker.get("full_day"))
        if (
            full
            or not marker.get("since")
            or not full_day
            or (today - full_day).days >= FULL_EVERY_DAYS
            or full_day > today
        ):
            self._refresh_all()
            full_day = today
        else:
            since = fields.Datetime.to_datetime(marker["since"]) - SINCE_SLACK
            self._refresh_customers(since)
        self._set_refresh_marker(
            {
                "since": fields.Datetime.to_string(started),
                "full_day": fields.Date.to_string(full_day),
            }
        )

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
        cr.execute(SQL("INSERT INTO %s %s", table, self._activity_sql()))
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
    def _refresh_customers(self, since):
        """Replace the activity of the customers with an order written since
        ``since`` and add the difference to their cohorts' cells."""
        cr = self.env.cr
        facts = self.env["repeat.sales.order.facts"]
        create_analyzed_temp_table(
            cr,
            CHANGED_TABLE,
            SQL(
                "SELECT DISTINCT partner_id, company_id FROM (%s) facts",
                facts._orders_sql(written_since=since, counted_only=False),
            ),
        )
        cr.execute(
            SQL(
                "SELECT array_agg(DISTINCT partner_id) FROM %s",
                SQL.identifier(CHANGED_TABLE),
            )
        )
        partner_ids = cr.fetchone()[0] or []
        if not partner_ids:
            return
        activity, changed = (
            SQL.identifier(ACTIVITY_TABLE),
            SQL.identifier(CHANGED_TABLE),
        )
        with few_rows_plan(cr):
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
