# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ... import compat
from ..engine.repeat_sales_partner_stat import SEGMENTS, segments_in_order

_logger = logging.getLogger(__name__)

BACKFILL_MONTHS = 12
# Every customer's row as of the last snapshot day (see _take_from_state).
STATE_TABLE = "repeat_sales_segment_state"
STATE_COLUMNS = (
    "partner_id",
    "company_id",
    "user_id",
    "team_id",
    "segment",
    "last_order",
    "next_order",
    "revenue",
    "order_count",
)


class RepeatSalesSegmentSnapshot(models.Model):
    """Customers and revenue per segment and salesperson, as they stood on a day.

    Taken by a daily scheduled action (once per day and company, whatever
    reruns) and back-filled from the order history for past month-ends at
    installation. Segments are recomputed from the orders as of the day, with
    the company's current thresholds.
    """

    _name = "repeat.sales.segment.snapshot"
    _inherit = ["repeat.sales.report.mixin"]
    _snapshot_measures = ("customer_count", "revenue", "order_count")
    _description = "Customer Segment Snapshot"
    _order = "date desc, company_id, segment"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The salesperson's sales team on the day.",
    )
    segment = fields.Selection(
        SEGMENTS, required=True, readonly=True, group_expand=segments_in_order
    )
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    revenue = fields.Monetary(
        readonly=True,
        help="Untaxed revenue of these customers' confirmed orders up to the day.",
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
        aggregator="sum",
        help="These customers' confirmed orders up to the day.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    def init(self):
        # One row per day, company, salesperson (or none) and segment: reruns
        # of the same day insert nothing (ON CONFLICT DO NOTHING).
        compat.create_unique_index(
            self.env.cr,
            "repeat_sales_segment_snapshot_day_uniq",
            self._table,
            ["date", "company_id", "COALESCE(user_id, 0)", "segment"],
        )

    @api.model
    def _customers_as_of_sql(self, day, previous_day, partner_ids=None, later=False):
        """Each customer's segment on ``day`` and on ``previous_day``, from orders.

        ``partner_ids`` limits it to these customers. ``later`` reads their
        orders dated after ``day`` too, for ``next_order`` (the first of them):
        a customer with such orders only has a row whose ``segment`` is null.
        """
        counted = SQL("facts.order_date <= %s", day)
        last_order = SQL("history.last_order")
        return SQL(
            """
            SELECT history.partner_id, history.company_id, customer.user_id,
                   salesperson.sale_team_id AS team_id,
                   CASE WHEN history.last_order IS NOT NULL THEN %(segment_now)s
                   END AS segment,
                   CASE WHEN history.last_before IS NULL THEN 'never'
                        ELSE %(segment_before)s END AS previous_segment,
                   history.last_order, history.next_order,
                   history.revenue, history.order_count
              FROM (
                SELECT facts.partner_id, facts.company_id,
                       MAX(facts.order_date) FILTER (WHERE %(counted)s) AS last_order,
                       MAX(facts.order_date)
                           FILTER (WHERE facts.order_date <= %(previous_day)s)
                           AS last_before,
                       MIN(facts.order_date) FILTER (WHERE NOT %(counted)s)
                           AS next_order,
                       COALESCE(SUM(facts.amount) FILTER (WHERE %(counted)s), 0)
                           AS revenue,
                       COUNT(*) FILTER (WHERE %(counted)s) AS order_count
                  FROM (%(facts)s) facts
              GROUP BY 1, 2
              ) history
              JOIN res_company company ON company.id = history.company_id
              JOIN res_partner customer ON customer.id = history.partner_id
              LEFT JOIN res_users salesperson ON salesperson.id = customer.user_id
            """,
            facts=self.env["repeat.sales.order.facts"]._orders_sql(
                partner_ids=partner_ids, date_to=None if later else day
            ),
            counted=counted,
            previous_day=previous_day,
            segment_now=self.env["repeat.sales.partner.stat"]._segment_sql(
                day, last_order, SQL("company")
            ),
            segment_before=self.env["repeat.sales.partner.stat"]._segment_sql(
                previous_day, SQL("history.last_before"), SQL("company")
            ),
        )

    @api.model
    def _flush_sources(self):
        self.env["sale.order"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id", "user_id"])
        self.env["res.users"].flush_model(["sale_team_id"])
        self.env["res.company"].flush_model(["repeat_hot_days", "repeat_warm_days"])

    @api.model
    def _take(self, day, previous_day, keep_state=False):
        """Snapshot and moves of ``day`` for every company that has none yet.

        A company's day is taken once: a rerun, even after new orders, leaves
        it as it was (the unique index guards the same against a race).
        ``keep_state`` also keeps every customer's row of the day in the
        state table the next day's snapshot starts from (see
        ``_take_from_state``).
        """
        self._flush_sources()
        state = SQL()
        if keep_state:
            self.env.cr.execute(SQL("TRUNCATE %s", SQL.identifier(STATE_TABLE)))
            state = SQL(
                """, state AS (
                    INSERT INTO %(table)s (%(columns)s)
                    SELECT %(columns)s FROM customers
                )""",
                table=SQL.identifier(STATE_TABLE),
                columns=SQL(", ").join(map(SQL.identifier, STATE_COLUMNS)),
            )
        self.env.cr.execute(
            SQL(
                """
                WITH customers AS MATERIALIZED (%(customers)s
                ), untaken AS MATERIALIZED (
                    SELECT * FROM customers
                     WHERE customers.segment IS NOT NULL
                       AND NOT EXISTS (
                               SELECT 1 FROM repeat_sales_segment_snapshot taken
                                WHERE taken.date = %(day)s
                                  AND taken.company_id = customers.company_id)
                )%(state)s, snapshot AS (
                    INSERT INTO repeat_sales_segment_snapshot
                           (date, company_id, user_id, team_id, segment,
                            customer_count, revenue, order_count,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(day)s, company_id, user_id, team_id, segment, COUNT(*),
                           SUM(revenue), SUM(order_count),
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM untaken
                  GROUP BY company_id, user_id, team_id, segment
                    ON CONFLICT DO NOTHING
                 RETURNING 1
                )
                INSERT INTO repeat_sales_segment_move
                       (date, previous_date, company_id, user_id, team_id, from_segment,
                        to_segment, customer_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(day)s, %(previous_day)s, company_id, user_id, team_id,
                       previous_segment,
                       segment, COUNT(*), %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM untaken
                 WHERE previous_segment <> segment
              GROUP BY company_id, user_id, team_id, previous_segment, segment
                    ON CONFLICT DO NOTHING
                """,
                customers=self._customers_as_of_sql(
                    day, previous_day, later=keep_state
                ),
                state=state,
                day=day,
                previous_day=previous_day,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.env.invalidate_all()

    @api.model
    def _backfill(self, months=BACKFILL_MONTHS):
        """Month-end snapshots for the past months, from the order history."""
        today = fields.Date.context_today(self)
        month_ends = [
            today + relativedelta(day=1, months=-back, days=-1)
            for back in range(months, -1, -1)
        ]
        previous = month_ends[0] + relativedelta(day=1, days=-1)
        for day in month_ends:
            self._take(day, previous)
            previous = day
        # Today's snapshot is where the nightly one starts from (its state).
        self._take_day(today, previous)
        _logger.info("repeat_sales: segment history back-filled for %s months", months)
