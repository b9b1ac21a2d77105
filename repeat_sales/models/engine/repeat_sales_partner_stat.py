# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ... import compat
from .postgres_settings import local_settings

_logger = logging.getLogger(__name__)

SEGMENTS = [
    ("hot", "Hot"),
    ("warm", "Warm"),
    ("sleeping", "Sleeping"),
]
# An order's untaxed amount in its company's currency (at the order's rate),
# rounded to that currency: every figure of the addon adds these. Needs the
# aliases ``so`` (sale_order) and ``currency`` (the company's res_currency).
ORDER_AMOUNT = SQL(
    """ROUND(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1),
             currency.decimal_places)"""
)
# What the customer screens show: a customer without figures never ordered.
CUSTOMER_SEGMENTS = SEGMENTS + [("never", "Never Ordered")]

# The columns the engine writes, in the order of the SELECT below.
FIGURE_COLUMNS = (
    "partner_id",
    "company_id",
    "first_order_date",
    "last_order_date",
    "order_count",
    "revenue",
    "average_order_value",
    "average_gap_days",
    "expected_order_date",
    "segment",
)

# When a row's figures are computed: the clock once the statement runs, so
# after its snapshot is taken. An order created at or after it (its
# create_date is its transaction's start) cannot be in those figures.
COMPUTED_NOW = SQL("(SELECT clock_timestamp() AT TIME ZONE 'UTC')")

PENDING_KEY = "repeat_sales.pending_partner_ids"
# Planner settings of the daily update of the customers who changed.
SCOPED_PLANNER_SETTINGS = {
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "jit": "off",
}
# Share of each table page the back-fill and inserts fill: the rest takes the
# new versions of rows moving between segments, on their own page.
FILLFACTOR = 90
# Days of slack in the daily move's window, for "today" in another time zone.
MOVE_WINDOW_SLACK = 1
# Memory for each index the back-fill of an empty table builds.
INDEX_BUILD_MEM = "256MB"


def columns(alias, names=FIGURE_COLUMNS):
    """``alias.name, …`` for these columns (bare names when ``alias`` is None)."""
    if alias is None:
        return SQL(", ").join(SQL.identifier(name) for name in names)
    return SQL(", ").join(SQL.identifier(alias, name) for name in names)


@compat.sql_constraints
class RepeatSalesPartnerStat(models.Model):
    """Purchase figures of one customer (a commercial partner) in one company.

    Rows are written only by the set-based SQL of this model, never through the
    ORM: a table of its own keeps the busy ``res_partner`` rows (and their mail
    tracking) out of the recompute, and the (partner, company) key gives every
    company its own figures.
    """

    _name = "repeat.sales.partner.stat"
    _description = "Customer Purchase Figures"
    _order = "last_order_date desc, id desc"
    _rec_name = "partner_id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    revenue = fields.Monetary(
        readonly=True, help="Untaxed amount of confirmed orders, in company currency."
    )
    average_order_value = fields.Monetary(readonly=True)
    average_gap_days = fields.Float(
        string="Average Days Between Orders", digits=(16, 1), readonly=True
    )
    expected_order_date = fields.Date(
        string="Expected Next Order",
        readonly=True,
        help="Last order date plus the customer's average gap between orders.",
    )
    segment = fields.Selection(SEGMENTS, readonly=True)
    computed_at = fields.Datetime(
        string="Computed On",
        readonly=True,
        help="When the figures were last computed from the orders: an order "
        "created after it is not counted yet.",
    )
    days_since_last_order = fields.Integer(compute="_compute_days_since_last_order")

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one set of figures per company.",
        ),
    ]

    def init(self):
        # The only index besides the (partner, company) key: every write of the
        # full recompute pays for each index. It serves the daily move between
        # segments (rows near a threshold) and the follow-up plan (customers by
        # the age of their last order). The segment is in no index, and each
        # page keeps room for a few row versions: moving a customer to another
        # segment is then a heap-only update, with no new index entry.
        cr = self.env.cr
        # The index it replaces held the segment: databases installed before
        # keep no copy of it.
        cr.execute(
            SQL("DROP INDEX IF EXISTS repeat_sales_partner_stat_segment_move_idx")
        )
        create_index(
            cr,
            "repeat_sales_partner_stat_last_order_idx",
            self._table,
            ["company_id", "last_order_date"],
        )
        cr.execute(
            SQL(
                "ALTER TABLE %s SET (fillfactor = %s)",
                SQL.identifier(self._table),
                SQL(str(FILLFACTOR)),
            )
        )

    @api.depends("last_order_date")
    def _compute_days_since_last_order(self):
        today = fields.Date.context_today(self)
        for stat in self:
            stat.days_since_last_order = (
                (today - stat.last_order_date).days if stat.last_order_date else 0
            )

    # ------------------------------------------------------------------
    # SQL building blocks
    # ------------------------------------------------------------------

    @api.model
    def _segment_sql(self, today, last_order_date, company):
        """SQL CASE giving the segment of a last order date for a company row."""
        return SQL(
            """CASE
                WHEN %(today)s::date - %(last)s <= %(company)s.repeat_hot_days
                    THEN 'hot'
                WHEN %(today)s::date - %(last)s <= %(company)s.repeat_warm_days
                    THEN 'warm'
                ELSE 'sleeping'
            END""",
            today=today,
            last=last_order_date,
            company=company,
        )

    @api.model
    def _derived_figures_sql(self, today, alias):
        """The figures that follow from the first and last order dates, the
        number of orders and the revenue of the row ``alias``: the last four
        of FIGURE_COLUMNS, in that order. ``company`` and ``currency`` must be
        joined."""
        return SQL(
            """ROUND(%(t)s.revenue / %(t)s.order_count, currency.decimal_places)
                   AS average_order_value,
               (CASE WHEN %(t)s.order_count > 1 THEN
                   ROUND((%(t)s.last_order_date - %(t)s.first_order_date)::numeric
                         / (%(t)s.order_count - 1), 1)
               END)::double precision AS average_gap_days,
               CASE WHEN %(t)s.order_count > 1 THEN
                   %(t)s.last_order_date + ROUND(
                       (%(t)s.last_order_date - %(t)s.first_order_date)::numeric
                       / (%(t)s.order_count - 1))::integer
               END AS expected_order_date,
               %(segment)s AS segment""",
            t=SQL.identifier(alias),
            segment=self._segment_sql(
                today, SQL("%s.last_order_date", SQL.identifier(alias)), SQL("company")
            ),
        )

    @api.model
    def _fresh_figures_sql(self, today, partner_ids=None):
        """SELECT of the figures of every customer, computed from the orders.

        Orders of a contact count for its commercial partner; amounts are the
        untaxed totals converted to the company currency at the order's rate and
        rounded to that currency, order by order.
        """
        orders = SQL(
            """sale_order so
               JOIN res_partner customer ON customer.id = so.partner_id"""
        )
        if partner_ids is not None:
            # From the list to the orders through the indexes on
            # commercial_partner_id and partner_id: a confirmation reads one
            # customer's orders, the nightly run those of the customers that
            # changed (unnest lets PostgreSQL know how many they are).
            orders = SQL(
                """unnest(%s::int[]) AS scope(partner_id)
                   JOIN res_partner customer
                     ON customer.commercial_partner_id = scope.partner_id
                   JOIN sale_order so ON so.partner_id = customer.id""",
                partner_ids,
            )
        return SQL(
            """
            WITH confirmed AS (
                SELECT COALESCE(customer.commercial_partner_id, customer.id)
                           AS partner_id,
                       so.company_id,
                       so.date_order::date AS order_date,
                       %(amount)s AS amount
                  FROM %(orders)s
                  JOIN res_company company ON company.id = so.company_id
                  JOIN res_currency currency ON currency.id = company.currency_id
                 WHERE so.state = 'sale'
            ), totals AS (
                SELECT partner_id, company_id,
                       MIN(order_date) AS first_order_date,
                       MAX(order_date) AS last_order_date,
                       COUNT(*) AS order_count,
                       SUM(amount) AS revenue
                  FROM confirmed
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
            orders=orders,
            amount=ORDER_AMOUNT,
            derived=self._derived_figures_sql(today, "totals"),
        )

    def _flush_sources(self):
        """Write pending ORM changes of everything the figures are read from."""
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed"]
        )
        self.env["sale.order"].flush_model(["currency_rate"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
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

    def _table_is_empty(self):
        self.env.cr.execute(
            SQL("SELECT NOT EXISTS (SELECT FROM %s)", SQL.identifier(self._table))
        )
        return self.env.cr.fetchone()[0]

    def _fill_empty_table(self, today):
        """Back-fill the empty table (the install): one INSERT, then its keys.

        Checked row by row as they are inserted, the table's indexes and
        foreign keys cost twice the aggregate itself on a large base; built
        once over the filled table, a fraction of it. Their definitions are
        read from the catalog and restored as they were, in this transaction
        and under an exclusive lock: no one else ever sees the table without
        them. Returns the number of rows inserted.
        """
        cr = self.env.cr
        table = SQL.identifier(self._table)
        cr.execute(SQL("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", table))
        cr.execute(
            SQL(
                """SELECT conname, pg_get_constraintdef(oid)
                     FROM pg_constraint
                    WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')
                 ORDER BY contype = 'f', conname""",
                self._table,
            )
        )
        constraints = cr.fetchall()
        cr.execute(
            SQL(
                """SELECT relation.relname, pg_get_indexdef(ind.indexrelid)
                     FROM pg_index ind
                     JOIN pg_class relation ON relation.oid = ind.indexrelid
                    WHERE ind.indrelid = %s::regclass
                      AND NOT EXISTS (SELECT FROM pg_constraint
                                       WHERE conindid = ind.indexrelid)""",
                self._table,
            )
        )
        indexes = cr.fetchall()
        # Foreign keys first: a primary key cannot go while one refers to it.
        for name, _definition in reversed(constraints):
            cr.execute(
                SQL("ALTER TABLE %s DROP CONSTRAINT %s", table, SQL.identifier(name))
            )
        for name, _definition in indexes:
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        names = columns(None)
        cr.execute(
            SQL(
                "INSERT INTO %s (%s, computed_at) SELECT %s, %s FROM (%s) fresh",
                table,
                names,
                names,
                COMPUTED_NOW,
                self._fresh_figures_sql(today),
            )
        )
        count = cr.rowcount
        # Definitions PostgreSQL printed itself, of this table only; each
        # index sorted in memory rather than in runs on disk.
        with local_settings(cr, {"maintenance_work_mem": INDEX_BUILD_MEM}):
            for _name, definition in indexes:
                cr.execute(SQL(definition))
            for name, definition in constraints:
                cr.execute(
                    SQL(
                        "ALTER TABLE %s ADD CONSTRAINT %s %s",
                        table,
                        SQL.identifier(name),
                        SQL(definition),
                    )
                )
        self._invalidate_figures()
        return count

    def _invalidate_figures(self):
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(
            self.env["res.partner"]._repeat_sales_figure_fields()
        )

    @api.model
    def _customers_sql(self):
        """Subquery of (partner_id, company_id, last_order_date, segment) rows.

        What other parts of the addon read in their own set-based SQL, so that
        they depend on this shape and not on the engine's table.
        """
        return SQL(
            """(SELECT stat.partner_id, stat.company_id, stat.last_order_date,
                       stat.segment
                  FROM repeat_sales_partner_stat stat)"""
        )

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _recompute_all(self):
        """Recompute every customer of every company from scratch."""
        count = self._store_fresh_figures()
        if count:
            # After a back-fill the planner must not keep believing the table
            # empty: every confirmation's statement depends on its estimates.
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        _logger.info("repeat_sales: full recompute changed %s customer rows", count)
        return count

    @api.model
    def _recompute_partners(self, partners):
        """Recompute the customers of the given partners (any contact of them)."""
        if not partners:
            return 0
        return self._store_fresh_figures(self._customer_ids_of(partners.ids))

    @api.model
    def _recompute_company_segments(self, companies):
        """Give every customer of these companies the segment its thresholds say."""
        self.env["res.company"].flush_model(["repeat_hot_days", "repeat_warm_days"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE repeat_sales_partner_stat stat
                   SET segment = %(segment)s
                  FROM res_company company
                 WHERE company.id = stat.company_id
                   AND company.id = ANY(%(company_ids)s)
                   AND stat.segment IS DISTINCT FROM %(segment)s
                """,
                segment=self._segment_sql(
                    fields.Date.context_today(self),
                    SQL("stat.last_order_date"),
                    SQL("company"),
                ),
                company_ids=companies.ids,
            )
        )
        self._invalidate_figures()
        return self.env.cr.rowcount

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
                """SELECT moving.ctid
                     FROM repeat_sales_partner_stat moving
                    WHERE moving.company_id = company.id
                      AND moving.last_order_date < %(today)s::date - %(days)s
                      %(bound)s
                      AND moving.segment = %(segment)s""",
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
                 -- the row versions just read: no second lookup by id
                 WHERE stat.ctid = movers.ctid
                """,
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
        SQL, a failed commit hook) without reading the whole order table.
        """
        # sudo: system parameters are admin-only; the cron needs its own marker.
        param = self.env["ir.config_parameter"].sudo()
        started = self.env.cr.now()
        since = param.get_param("repeat_sales.stat_updated_at")
        if since:
            # A few customers out of all: through the indexes, row by row. The
            # planner's estimates for the list would have it walk the whole
            # table to join the rows to write, and compile the plan (JIT).
            with local_settings(self.env.cr, SCOPED_PLANNER_SETTINGS):
                refreshed, unsure = self._add_orders_written_since(since)
                refreshed += self._store_fresh_figures(unsure)
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
                WITH written AS MATERIALIZED (
                    SELECT COALESCE(customer.commercial_partner_id, customer.id)
                               AS partner_id,
                           so.company_id, so.state, so.create_date, so.write_date,
                           so.date_order::date AS order_date,
                           %(amount)s AS amount
                      FROM sale_order so
                      JOIN res_partner customer ON customer.id = so.partner_id
                      JOIN res_company company ON company.id = so.company_id
                      JOIN res_currency currency ON currency.id = company.currency_id
                     WHERE so.write_date >= %(since)s
                ), judged AS MATERIALIZED (
                    SELECT written.partner_id, stat.id AS stat_id, stat.ctid,
                           stat.company_id,
                           CASE WHEN stat.id IS NULL
                               -- no row: right as long as none is confirmed
                               THEN NOT BOOL_OR(written.state = 'sale')
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
                  GROUP BY written.partner_id, written.company_id, stat.id, stat.ctid
                ), totals AS (
                    SELECT judged.ctid, %(added)s, %(derived)s
                      FROM judged
                      JOIN res_company company ON company.id = judged.company_id
                      JOIN res_currency currency ON currency.id = company.currency_id
                     WHERE judged.known AND judged.new_count > 0
                ), updated AS (
                    UPDATE repeat_sales_partner_stat stat
                       SET (%(figure_names)s, computed_at)
                           = (%(total_figures)s, %(now)s)
                      FROM totals
                     -- the row versions judged: no second lookup by id
                     WHERE stat.ctid = totals.ctid
                 RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM updated),
                       ARRAY(SELECT DISTINCT partner_id FROM judged WHERE NOT known)
                """,
                amount=ORDER_AMOUNT,
                since=since,
                new_sale=SQL(
                    "written.state = 'sale' AND written.create_date >= stat.computed_at"
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

    # ------------------------------------------------------------------
    # Changes collected during a transaction, applied before it commits
    # ------------------------------------------------------------------

    @api.model
    def _mark_partners_changed(self, partners):
        """Recompute these customers before the current transaction commits.

        Order confirmations, cancellations, amount changes and partner moves
        all end here; the recompute runs once per transaction, for all of
        them together, right before the commit.
        """
        if not partners:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(PENDING_KEY, set())
        if not pending:
            precommit.add(self._apply_pending_changes)
        # Their customers are looked up at commit, in SQL: reading the
        # partners here would cost every confirmation a fetch of their rows.
        # A caller that changes a partner's company marks the old one itself.
        pending.update(partners.ids)

    @api.model
    def _apply_pending_changes(self):
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, set())
        if pending:
            self._store_fresh_figures(self._customer_ids_of(sorted(pending)))

    @api.model
    def _customer_ids_of(self, partner_ids):
        """The partners and their commercial partners, as a sorted id list."""
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """SELECT scope.id FROM unnest(%(ids)s::int[]) AS scope(id)
                    UNION
                   SELECT partner.commercial_partner_id
                     FROM res_partner partner
                    WHERE partner.id = ANY(%(ids)s)
                      AND partner.commercial_partner_id IS NOT NULL
                 ORDER BY 1""",
                ids=partner_ids,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
