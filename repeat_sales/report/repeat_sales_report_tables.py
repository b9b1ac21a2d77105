# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..db_tuning import create_analyzed_temp_table

_logger = logging.getLogger(__name__)

# Where the tables stand: the start of the last refresh and the day of the
# last full computation.
MARKER_PARAM = "repeat_sales.report_tables"
# Computed in full at least this often: what a night does not see (a
# contact moved to another company, whose orders change customer without
# being written; orders changed by a transaction open for more than
# SINCE_SLACK across the run) is caught within a week.
FULL_EVERY_DAYS = 7
# Orders written this long before the last refresh's start are read again: a
# transaction open across that start wrote them with an earlier date.
SINCE_SLACK = timedelta(hours=1)
# The (customer, company) pairs with an order written since the last refresh.
CHANGED_TABLE = "repeat_sales_report_changed"


class RepeatSalesReportTables(models.AbstractModel):
    """The reports kept as small tables by the nightly chain.

    The nightly ``reports`` step (after the figures and the segment history)
    brings each one up to the orders committed when it runs, from the
    customers with an order written since its last run (every order once a
    week); a report shows its figures as of that run. Each maintained model
    has ``_refresh_all()`` and ``_refresh_customers(partner_ids)``, the
    latter reading the pairs of CHANGED_TABLE.
    """

    _name = "repeat.sales.report.tables"
    _description = "Repeat Sales Report Tables"

    _maintained_reports = (
        "repeat.sales.order.report",
        "repeat.sales.cohort.report",
    )

    @api.model
    def _marker(self):
        # sudo: system parameters are admin-only; the reports read their own.
        value = self.env["ir.config_parameter"].sudo().get_param(MARKER_PARAM)
        return json.loads(value) if value else {}

    @api.model
    def _refreshed_at(self):
        """When the last refresh started: its figures count the orders
        committed then."""
        since = self._marker().get("since")
        return fields.Datetime.to_datetime(since) if since else False

    @api.model
    def _cron_refresh(self, full=False):
        """Nightly step: every maintained report brought up to date."""
        marker = self._marker()
        started = self.env.cr.now()
        today = fields.Date.context_today(self)
        full_day = fields.Date.to_date(marker.get("full_day"))
        if (
            full
            or not marker.get("since")
            or not full_day
            or not 0 <= (today - full_day).days < FULL_EVERY_DAYS
        ):
            for model in self._maintained_reports:
                self.env[model]._refresh_all()
            full_day = today
            _logger.info("repeat_sales: report tables computed from every order")
        else:
            since = fields.Datetime.to_datetime(marker["since"]) - SINCE_SLACK
            partner_ids = self._changed_customers(since)
            if partner_ids:
                for model in self._maintained_reports:
                    self.env[model]._refresh_customers(partner_ids)
            _logger.info(
                "repeat_sales: report tables refreshed for %s changed customers",
                len(partner_ids),
            )
        # sudo: as in _marker, the step's own system parameter.
        self.env["ir.config_parameter"].sudo().set_param(
            MARKER_PARAM,
            json.dumps(
                {
                    "since": fields.Datetime.to_string(started),
                    "full_day": fields.Date.to_string(full_day),
                }
            ),
        )

    @api.model
    def _changed_customers(self, since):
        """CHANGED_TABLE filled with the (customer, company) pairs whose
        orders changed since ``since``; returns their customers' ids.

        The pairs of the orders written since (counted or not: a cancelled
        order changes its customer), the pairs those orders had in the
        order report (an order moved to another customer or company changes
        the one it left) and the pairs of deleted orders (their report rows
        lost their order through the foreign key).
        """
        cr = self.env.cr
        report = SQL.identifier(self.env["repeat.sales.order.report"]._table)
        create_analyzed_temp_table(
            cr,
            CHANGED_TABLE,
            SQL(
                """
                WITH written AS (%(written)s)
                SELECT partner_id, company_id FROM written
                 UNION
                SELECT report.partner_id, report.company_id
                  FROM %(report)s report
                  JOIN written ON written.order_id = report.id
                 UNION
                SELECT report.partner_id, report.company_id
                  FROM %(report)s report
                 WHERE report.order_id IS NULL
                """,
                written=self.env["repeat.sales.order.facts"]._orders_sql(
                    written_since=since, counted_only=False
                ),
                report=report,
            ),
        )
        cr.execute(
            SQL(
                "SELECT array_agg(DISTINCT partner_id) FROM %s",
                SQL.identifier(CHANGED_TABLE),
            )
        )
        return cr.fetchone()[0] or []
