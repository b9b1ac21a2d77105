# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ... import compat
from ...db_tuning import analyze, set_fillfactor
from .order_facts import amount_sql

_logger = logging.getLogger(__name__)

SEGMENTS = [
    ("hot", "Hot"),
    ("warm", "Warm"),
    ("sleeping", "Sleeping"),
]
# The order amount of the order facts for aliases ``so`` and ``currency``,
# for readers not yet on ``repeat.sales.order.facts`` (stamps).
ORDER_AMOUNT = amount_sql("so", "currency")
# What the customer screens show: a customer without figures never ordered.
CUSTOMER_SEGMENTS = SEGMENTS + [("never", "Never Ordered")]


def segments_in_order(model, segments, domain):
    """Groups by segment in the segments' own order (hot, warm, sleeping,
    never), not alphabetically, adding no empty group (a ``group_expand``)."""
    rank = [segment for segment, _label in CUSTOMER_SEGMENTS]
    return sorted(segments, key=lambda segment: rank.index(segment))


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
# Share of each table page the back-fill and inserts fill: the rest takes the
# new versions of rows moving between segments, on their own page.
FILLFACTOR = 90


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
    _inherit = ["repeat.sales.report.mixin"]
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
    average_order_value = fields.Monetary(readonly=True, aggregator="avg")
    average_gap_days = fields.Float(
        string="Average Days Between Orders",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
    )
    expected_order_date = fields.Date(
        string="Expected Next Order",
        readonly=True,
        help="Last order date plus the customer's average gap between orders.",
    )
    segment = fields.Selection(SEGMENTS, readonly=True, group_expand=segments_in_order)
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
        set_fillfactor(cr, self._table, FILLFACTOR)

    def _repeat_ratio_sql(self, fname, query):
        # A group's averages: its revenue over its orders, its days between
        # first and last orders over its gaps.
        def column(name):
            return self._field_to_sql(self._table, name, query)

        if fname == "average_order_value":
            return column("revenue"), column("order_count")
        if fname == "average_gap_days":
            return (
                SQL("%s - %s", column("last_order_date"), column("first_order_date")),
                SQL("%s - 1", column("order_count")),
            )
        return ()

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

    def _invalidate_figures(self):
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(
            self.env["res.partner"]._repeat_sales_figure_fields()
        )

    @api.model
    def _customers_sql(self):
        """Subquery of (partner_id, company_id, last_order_date, segment,
        p_alive, clv_12m) rows (the last two: the value model's, NULL without
        a prediction).

        What other parts of the addon read in their own set-based SQL, so that
        they depend on this shape and not on the engine's table.
        """
        return SQL(
            """(SELECT stat.partner_id, stat.company_id, stat.last_order_date,
                       stat.segment, stat.p_alive, stat.clv_12m
                  FROM repeat_sales_partner_stat stat)"""
        )

    @api.model
    def _customer_history_sql(self):
        """``_customers_sql`` with the customer's history: first order date,
        number of orders, average gap and expected next order (the rhythm
        steps of the plan, the greetings)."""
        return SQL(
            """(SELECT stat.partner_id, stat.company_id, stat.last_order_date,
                       stat.segment, stat.p_alive, stat.clv_12m,
                       stat.first_order_date, stat.order_count,
                       stat.average_gap_days, stat.expected_order_date
                  FROM repeat_sales_partner_stat stat)"""
        )

    @api.model
    def _customer_totals_sql(self, partner):
        """(partner_id, company_id, last_order_date, order_count, revenue,
        computed_at) of the commercial partner ``partner`` (an SQL expression
        of the outer query, read through a LATERAL and the key), one row per
        company they ordered in: the totals of all their confirmed orders,
        whatever their date, as computed at ``computed_at`` (the segment
        snapshot's night reads them instead of the customers' histories).
        Applies the changes of the current transaction first."""
        self._apply_pending_changes()
        return SQL(
            """(SELECT stat.partner_id, stat.company_id, stat.last_order_date,
                       stat.order_count, stat.revenue, stat.computed_at
                  FROM repeat_sales_partner_stat stat
                 WHERE stat.partner_id = %s)""",
            partner,
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
            analyze(self.env.cr, [self._table])
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
            self._store_customer_figures(self._customer_ids_of(sorted(pending)))

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
