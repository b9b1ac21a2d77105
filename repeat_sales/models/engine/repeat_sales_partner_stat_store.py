# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import SQL

from ...after_commit import attempt_now, in_read_committed, lock_rows, run_after_commit
from ...customer_queue import CustomerQueue
from ...db_tuning import insert_without_keys, is_empty
from .repeat_sales_partner_stat import COMPUTED_NOW, FIGURE_COLUMNS, columns

# Customers whose figures a committed transaction left to its after-commit
# write: a row stays here if the process died before that write, until the
# nightly figures step reads their history again (the addon's own table).
UNSURE = CustomerQueue("repeat_sales_partner_stat_unsure")


class RepeatSalesPartnerStat(models.Model):
    """The one statement that brings stored figures in line with the orders."""

    _inherit = "repeat.sales.partner.stat"

    def init(self):
        res = super().init()
        UNSURE.create_table(self.env.cr)
        return res

    @api.model
    def _fresh_figures_sql(self, today, partner_ids=None):
        """SELECT of the figures of every customer (``partner_ids``: of these
        commercial partners), computed from the order facts."""
        return SQL(
            """
            WITH totals AS (
                SELECT partner_id, company_id,
                       MIN(order_date) AS first_order_date,
                       MAX(order_date) AS last_order_date,
                       COUNT(*) AS order_count,
                       SUM(amount) AS revenue
                  FROM (%(facts)s) facts
              GROUP BY partner_id, company_id
            )
            SELECT totals.partner_id,
                   totals.company_id,
                   totals.first_order_date,
                   totals.last_order_date,
                   totals.order_count::integer AS order_count,
                   totals.revenue,
                   %(derived)s
              FROM totals
              JOIN res_company company ON company.id = totals.company_id
              JOIN res_currency currency ON currency.id = company.currency_id
            """,
            facts=self.env["repeat.sales.order.facts"]._orders_sql(partner_ids),
            derived=self._derived_figures_sql(today, "totals"),
        )

    def _flush_sources(self):
        """Write pending ORM changes of everything the figures are read from."""
        self.env["repeat.sales.order.facts"]._flush()
        self.env["res.company"].flush_model(["repeat_hot_days", "repeat_warm_days"])

    def _store_fresh_figures(self, partner_ids=None):
        """Bring the stored figures in line with the orders, in one statement.

        Rows whose figures did not change are not written; rows of customers
        who no longer have a confirmed order are deleted. ``partner_ids``
        limits the work to those commercial partners (``None``: everyone).
        Returns the number of rows inserted, updated or deleted.
        """
        if partner_ids is not None and not partner_ids:
            return 0
        self._flush_sources()
        today = fields.Date.context_today(self)
        if partner_ids is None and self._table_is_empty():
            return self._fill_empty_table(today)
        figures = FIGURE_COLUMNS[2:]

        stored = SQL("repeat_sales_partner_stat stat")
        if partner_ids is not None:
            stored = SQL(
                """unnest(%s::int[]) AS scope(partner_id)
                   JOIN repeat_sales_partner_stat stat
                     ON stat.partner_id = scope.partner_id""",
                partner_ids,
            )
        # One hash join of the fresh figures with the stored ones finds what
        # changed; only those rows are written. A rerun on unchanged orders
        # costs the aggregate and the join, and writes nothing.
        self.env.cr.execute(
            SQL(
                """
                WITH fresh AS MATERIALIZED (%(fresh)s),
                stored AS (
                    SELECT stat.id, %(stored_columns)s FROM %(stored)s
                ),
                changes AS MATERIALIZED (
                    SELECT stored.id AS stat_id, %(fresh_columns)s
                      FROM fresh
                      FULL JOIN stored
                        ON stored.partner_id = fresh.partner_id
                       AND stored.company_id = fresh.company_id
                     WHERE stored.id IS NULL
                        OR fresh.partner_id IS NULL
                        OR (%(stored_figures)s) IS DISTINCT FROM (%(fresh_figures)s)
                ),
                updated AS (
                    UPDATE repeat_sales_partner_stat stat
                       SET (%(figure_names)s) = (%(changed_figures)s),
                           computed_at = %(now)s
                      FROM changes
                     WHERE stat.id = changes.stat_id
                       AND changes.partner_id IS NOT NULL
                 RETURNING 1
                ),
                inserted AS (
                    INSERT INTO repeat_sales_partner_stat (%(all_names)s, computed_at)
                    SELECT %(changed_all)s, %(now)s
                      FROM changes WHERE changes.stat_id IS NULL
                 RETURNING 1
                ),
                removed AS (
                    DELETE FROM repeat_sales_partner_stat stat
                     USING changes
                     WHERE stat.id = changes.stat_id AND changes.partner_id IS NULL
                 RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM updated)
                     + (SELECT COUNT(*) FROM inserted)
                     + (SELECT COUNT(*) FROM removed)
                """,
                fresh=self._fresh_figures_sql(today, partner_ids),
                stored=stored,
                stored_columns=columns("stat"),
                fresh_columns=columns("fresh"),
                stored_figures=columns("stored", figures),
                fresh_figures=columns("fresh", figures),
                figure_names=columns(None, figures),
                changed_figures=columns("changes", figures),
                all_names=columns(None),
                changed_all=columns("changes"),
                now=COMPUTED_NOW,
            )
        )
        count = self.env.cr.fetchone()[0]
        self._invalidate_figures()
        return count

    @api.model
    def _store_customer_figures(self, partner_ids):
        """The figures of these customers, as their orders changed in this
        transaction, without a serialization failure.

        In the request the rows are taken with ``NOWAIT``: free and unchanged
        since the snapshot, they are written now and stay locked until the
        commit. Otherwise (another transaction holds or just wrote one, or
        inserts the same new row) they are written right after the commit, in
        READ COMMITTED: the rows are locked first, so the statement that reads
        the orders sees every order committed before it (see ``after_commit``).
        """
        if not partner_ids:
            return
        if in_read_committed(self.env):
            self._lock_customer_rows(partner_ids)
            self._store_fresh_figures(partner_ids)
            return

        def store_now():
            self._lock_customer_rows(partner_ids, nowait=True)
            self._store_fresh_figures(partner_ids)

        if not attempt_now(self.env, store_now):
            self._mark_unsure(partner_ids)
            run_after_commit(
                self.env, self._name, "_store_customer_figures", partner_ids
            )

    def _mark_unsure(self, partner_ids):
        UNSURE.add(self.env.cr, partner_ids)

    @api.model
    def _take_unsure_customers(self):
        """The customers marked unsure, unmarked; the caller reads their
        history again in the same transaction. A mark is seen only once its
        transaction has committed, and then that transaction's orders are
        seen too."""
        return UNSURE.take(self.env.cr)

    def _lock_customer_rows(self, partner_ids, nowait=False):
        self.flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM repeat_sales_partner_stat WHERE partner_id = ANY(%s)",
                list(partner_ids),
            )
        )
        row_ids = [row_id for (row_id,) in self.env.cr.fetchall()]
        lock_rows(self.env.cr, SQL.identifier(self._table), row_ids, nowait=nowait)

    def _table_is_empty(self):
        return is_empty(self.env.cr, self._table)

    def _fill_empty_table(self, today):
        """Back-fill the empty table (the install): one INSERT, then its keys
        (see ``db_tuning.insert_without_keys``). Returns the rows inserted."""
        names = columns(None)
        count = insert_without_keys(
            self.env.cr,
            self._table,
            SQL(
                "INSERT INTO %s (%s, computed_at) SELECT %s, %s FROM (%s) fresh",
                SQL.identifier(self._table),
                names,
                names,
                COMPUTED_NOW,
                self._fresh_figures_sql(today),
            ),
        )
        self._invalidate_figures()
        return count
