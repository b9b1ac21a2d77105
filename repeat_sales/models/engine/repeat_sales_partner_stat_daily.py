# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ...db_tuning import few_rows_plan, row_address
from .repeat_sales_partner_stat import COMPUTED_NOW, FIGURE_COLUMNS, columns

_logger = logging.getLogger(__name__)

# Days of slack in the daily move's window, for "today" in another time zone.
MOVE_WINDOW_SLACK = 1


class RepeatSalesPartnerStat(models.Model):
    """The daily update: orders written since the last run, moves between
    segments as days pass."""

    _inherit = "repeat.sales.partner.stat"

    @api.model
    def _move_segments(self, since=None):
        """Move the customers whose days without an order crossed a threshold.

        Only rows past their segment's threshold are read, through the
        (company, last order date) index. ``since``, the start of the last
        run, bounds the range from below: every row then had the segment of
        that day, so a hot row has a last order within the hot days of it.
        The work then follows the customers that move, not the size of the
        base. Missed days are caught up: a hot customer 200 days past its
        last order goes straight to sleeping.
        """
        self.env["res.company"].flush_model(["repeat_hot_days", "repeat_warm_days"])
        today = fields.Date.context_today(self)

        def movers(segment, days):
            bound = SQL()
            if since:
                bound = SQL(
                    "AND moving.last_order_date >= %s::date - %s - %s",
                    fields.Datetime.to_datetime(since).date(),
                    days,
                    MOVE_WINDOW_SLACK,
                )
            return SQL(
                """SELECT %(address)s AS address
                     FROM repeat_sales_partner_stat moving
                    WHERE moving.company_id = company.id
                      AND moving.last_order_date < %(today)s::date - %(days)s
                      %(bound)s
                      AND moving.segment = %(segment)s""",
                address=row_address("moving"),
                today=today,
                days=days,
                bound=bound,
                segment=segment,
            )

        self.env.cr.execute(
            SQL(
                """
                UPDATE repeat_sales_partner_stat stat
                   SET segment = %(segment)s
                  FROM res_company company,
                       LATERAL (%(hot)s UNION ALL %(warm)s) movers
                 WHERE %(stat)s = movers.address
                """,
                stat=row_address("stat"),
                segment=self._segment_sql(
                    today, SQL("stat.last_order_date"), SQL("company")
                ),
                hot=movers("hot", SQL("company.repeat_hot_days")),
                warm=movers("warm", SQL("company.repeat_warm_days")),
            )
        )
        self._invalidate_figures()
        return self.env.cr.rowcount

    @api.model
    def _cron_daily_update(self):
        """Daily: catch up the orders changed since the last run, move segments.

        Changes made through the ORM are applied before their transaction
        commits already; this catches orders written around it (imports in
        SQL, a failed commit hook) without reading the whole order table, and
        the customers whose write after their commit a crash may have lost
        (marked unsure by ``_store_customer_figures``).
        """
        # sudo: system parameters are admin-only; the cron needs its own marker.
        param = self.env["ir.config_parameter"].sudo()
        started = self.env.cr.now()
        since = param.get_param("repeat_sales.stat_updated_at")
        # Customers whose write after a commit may have been lost to a crash.
        marked = self._take_unsure_customers()
        if since:
            # A few customers out of all: through the indexes, row by row.
            with few_rows_plan(self.env.cr):
                refreshed, unsure = self._add_orders_written_since(since)
                refreshed += self._store_fresh_figures(sorted({*unsure, *marked}))
                moved = self._move_segments(since)
        else:
            refreshed = self._store_fresh_figures()
            moved = self._move_segments()
        param.set_param(
            "repeat_sales.stat_updated_at", fields.Datetime.to_string(started)
        )
        _logger.info(
            "repeat_sales: daily update refreshed %s and moved %s customer rows",
            refreshed,
            moved,
        )

    @api.model
    def _add_orders_written_since(self, since):
        """Bring in the orders written at or after ``since``; most without
        reading the customer's history again.

        For a customer in a company, each such order is either counted already
        (written before the row's figures were computed: a confirmation
        through the ORM updates the row as it commits) or new to the row
        (created once they were computed: an import in SQL). When every one of
        them is one or the other, the new confirmed ones are added to the
        stored totals, and the figures that follow from them computed again.
        Returns the number of rows updated, and the customers whose history
        must be read again: an older order changed, or a confirmed order and
        no row to add it to.
        """
        self._flush_sources()
        today = fields.Date.context_today(self)
        added = ("first_order_date", "last_order_date", "order_count", "revenue")
        figures = FIGURE_COLUMNS[2:]
        self.env.cr.execute(
            SQL(
                """
                WITH written AS MATERIALIZED (%(written)s
                ), judged AS MATERIALIZED (
                    SELECT written.partner_id, stat.id AS stat_id,
                           %(stat_address)s AS address,
                           stat.company_id,
                           CASE WHEN stat.id IS NULL
                               -- no row: right as long as none is confirmed
                               THEN NOT BOOL_OR(written.counted)
                               ELSE COALESCE(BOOL_AND(
                                   written.write_date < stat.computed_at
                                   OR written.create_date >= stat.computed_at
                               ), FALSE)
                           END AS known,
                           LEAST(stat.first_order_date, MIN(written.order_date)
                                 FILTER (WHERE %(new_sale)s)) AS first_order_date,
                           GREATEST(stat.last_order_date, MAX(written.order_date)
                                    FILTER (WHERE %(new_sale)s)) AS last_order_date,
                           stat.order_count
                               + COUNT(*) FILTER (WHERE %(new_sale)s) AS order_count,
                           stat.revenue + COALESCE(SUM(written.amount)
                                          FILTER (WHERE %(new_sale)s), 0) AS revenue,
                           COUNT(*) FILTER (WHERE %(new_sale)s) AS new_count
                      FROM written
                 LEFT JOIN repeat_sales_partner_stat stat
                        ON stat.partner_id = written.partner_id
                       AND stat.company_id = written.company_id
                  GROUP BY written.partner_id, written.company_id, stat.id,
                           %(stat_address)s
                ), totals AS (
                    SELECT judged.address, %(added)s, %(derived)s
                      FROM judged
                      JOIN res_company company ON company.id = judged.company_id
                      JOIN res_currency currency ON currency.id = company.currency_id
                     WHERE judged.known AND judged.new_count > 0
                ), updated AS (
                    UPDATE repeat_sales_partner_stat stat
                       SET (%(figure_names)s, computed_at)
                           = (%(total_figures)s, %(now)s)
                      FROM totals
                     WHERE %(stat_address)s = totals.address
                 RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM updated),
                       ARRAY(SELECT DISTINCT partner_id FROM judged WHERE NOT known)
                """,
                written=self.env["repeat.sales.order.facts"]._orders_sql(
                    written_since=since, counted_only=False
                ),
                stat_address=row_address("stat"),
                new_sale=SQL(
                    "written.counted AND written.create_date >= stat.computed_at"
                ),
                added=columns("judged", added),
                derived=self._derived_figures_sql(today, "judged"),
                figure_names=columns(None, figures),
                total_figures=columns("totals", figures),
                now=COMPUTED_NOW,
            )
        )
        count, partner_ids = self.env.cr.fetchone()
        self._invalidate_figures()
        return count, sorted(partner_ids)

    @api.model
    def _cron_recompute_all(self):
        self._recompute_all()
