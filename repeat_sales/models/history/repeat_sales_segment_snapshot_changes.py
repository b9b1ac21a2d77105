# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models
from odoo.tools import SQL

from ...customer_queue import CustomerQueue
from .repeat_sales_segment_snapshot import STATE_TABLE

# Customers whose salesperson or commercial entity changed since the last
# snapshot (written by res.partner and the partner merge, emptied by the
# snapshot step): what the night must read again besides their orders.
QUEUE = CustomerQueue("repeat_sales_segment_queue")


class RepeatSalesSegmentSnapshot(models.Model):
    """Which customers the night reads again, and their rows: from the
    engine's totals when they are exact for the day, else from their orders."""

    _inherit = "repeat.sales.segment.snapshot"

    def init(self):
        res = super().init()
        QUEUE.create_table(self.env.cr)
        return res

    @api.model
    def _queue_customers(self, partners):
        """Read these commercial partners again at the next night."""
        QUEUE.add(self.env.cr, partners.ids)

    @api.model
    def _queued_customer_ids(self):
        return QUEUE.queued_ids(self.env.cr)

    @api.model
    def _empty_queue(self):
        """Remove what this transaction sees of the queue: its state has it
        (what transactions not committed yet queue stays for the next night,
        the transaction's snapshot being repeatable)."""
        QUEUE.clear(self.env.cr)

    @api.model
    def _changed_customers(self, day, previous_day, since):
        """The customers whose rows the night takes again, and those of them
        read again from their orders (sorted id lists).

        Changed: an order written since the last run, queued (salesperson or
        commercial entity changed), an order dated after the previous day and
        now reached, or their salesperson's team changed. Read from their
        orders, the changed customers whose rows cannot be the engine's
        totals: a total computed before one of their orders was last
        written, a company where they have an order written since or a row
        in the state but no total, or a confirmed order dated after the
        previous day (their segment on that day needs the orders before it).
        """
        stat = self.env["repeat.sales.partner.stat"]
        self.env.cr.execute(
            SQL(
                """
                WITH written AS MATERIALIZED (%(written)s
                ), changed AS MATERIALIZED (
                    SELECT DISTINCT partner_id FROM (
                        SELECT written.partner_id FROM written
                    UNION ALL
                        SELECT unnest(%(queued)s::int[])
                    UNION ALL
                        SELECT state.partner_id FROM %(state)s state
                         WHERE state.next_order <= %(day)s
                    UNION ALL
                        SELECT state.partner_id FROM %(state)s state
                         WHERE state.user_id IN (
                            SELECT taken.user_id
                              FROM repeat_sales_segment_snapshot taken
                              JOIN res_users salesperson
                                ON salesperson.id = taken.user_id
                             WHERE taken.date = %(previous_day)s
                               AND salesperson.sale_team_id
                                   IS DISTINCT FROM taken.team_id)
                    ) ids
                ), changed_state AS MATERIALIZED (
                    SELECT state.partner_id, state.company_id FROM changed
                      JOIN %(state)s state ON state.partner_id = changed.partner_id
                ), reread AS (
                    SELECT written.partner_id FROM written
                 LEFT JOIN LATERAL %(written_totals)s totals
                        ON totals.company_id = written.company_id
                     WHERE totals.partner_id IS NULL
                        OR written.write_date >= totals.computed_at
                 UNION
                    SELECT state.partner_id FROM changed_state state
                 LEFT JOIN LATERAL %(state_totals)s totals
                        ON totals.company_id = state.company_id
                     WHERE totals.partner_id IS NULL
                 UNION
                    SELECT changed.partner_id FROM changed,
                           LATERAL %(changed_totals)s totals
                     WHERE totals.last_order_date > %(previous_day)s
                )
                SELECT ARRAY(SELECT partner_id FROM changed ORDER BY 1),
                       ARRAY(SELECT partner_id FROM reread ORDER BY 1)
                """,
                written=self.env["repeat.sales.order.facts"]._orders_sql(
                    written_since=since, counted_only=False
                ),
                queued=self._queued_customer_ids(),
                state=SQL.identifier(STATE_TABLE),
                day=day,
                previous_day=previous_day,
                written_totals=stat._customer_totals_sql(SQL("written.partner_id")),
                state_totals=stat._customer_totals_sql(SQL("state.partner_id")),
                changed_totals=stat._customer_totals_sql(SQL("changed.partner_id")),
            )
        )
        changed, reread = self.env.cr.fetchone()
        return changed, reread

    @api.model
    def _customers_from_totals_sql(self, day, previous_day, partner_ids):
        """The rows of ``_customers_as_of_sql`` for customers whose confirmed
        orders are all dated on or before ``previous_day``: the engine's
        totals are then their totals on both days."""
        stat = self.env["repeat.sales.partner.stat"]
        return SQL(
            """
            SELECT totals.partner_id, totals.company_id, customer.user_id,
                   salesperson.sale_team_id AS team_id,
                   %(segment_now)s AS segment,
                   %(segment_before)s AS previous_segment,
                   totals.last_order_date AS last_order, NULL::date AS next_order,
                   totals.revenue, totals.order_count
              FROM unnest(%(ids)s::int[]) AS scope(partner_id)
             CROSS JOIN LATERAL %(totals)s totals
              JOIN res_company company ON company.id = totals.company_id
              JOIN res_partner customer ON customer.id = totals.partner_id
              LEFT JOIN res_users salesperson ON salesperson.id = customer.user_id
            """,
            ids=partner_ids,
            totals=stat._customer_totals_sql(SQL("scope.partner_id")),
            segment_now=stat._segment_sql(
                day, SQL("totals.last_order_date"), SQL("company")
            ),
            segment_before=stat._segment_sql(
                previous_day, SQL("totals.last_order_date"), SQL("company")
            ),
        )

    @api.model
    def _changed_rows_sql(self, day, previous_day, since):
        """The changed customers, those read from their orders (sorted ids)
        and the SELECT of their rows (``_customers_as_of_sql`` with
        ``later``): from the engine's totals where they are exact, from their
        orders for the others."""
        changed, reread = self._changed_customers(day, previous_day, since)
        unread = sorted(set(changed) - set(reread))
        return (
            changed,
            reread,
            SQL(
                "%s UNION ALL %s",
                self._customers_from_totals_sql(day, previous_day, unread),
                self._customers_as_of_sql(
                    day, previous_day, partner_ids=reread, later=True
                ),
            ),
        )

    @api.model
    def _crossed_sql(self, day, previous_day, changed_ids):
        """State rows (of customers not read again) whose days without an
        order crossed a threshold between the two days: read through the
        (company, last order) index, in the range that crossed."""

        def crossing(segment, days):
            return SQL(
                """SELECT state.* FROM %(state)s state
                    WHERE state.company_id = company.id
                      AND state.segment = %(segment)s
                      AND state.last_order >= %(previous_day)s::date - %(days)s
                      AND state.last_order < %(day)s::date - %(days)s""",
                state=SQL.identifier(STATE_TABLE),
                segment=segment,
                previous_day=previous_day,
                day=day,
                days=days,
            )

        return SQL(
            """SELECT crossed.partner_id, crossed.company_id, crossed.user_id,
                      crossed.team_id, crossed.segment AS previous_segment,
                      %(segment)s AS segment, crossed.revenue, crossed.order_count
                 FROM res_company company,
                      LATERAL (%(hot)s UNION ALL %(warm)s) crossed
                WHERE NOT crossed.partner_id = ANY(%(changed)s)""",
            segment=self.env["repeat.sales.partner.stat"]._segment_sql(
                day, SQL("crossed.last_order"), SQL("company")
            ),
            hot=crossing("hot", SQL("company.repeat_hot_days")),
            warm=crossing("warm", SQL("company.repeat_warm_days")),
            changed=changed_ids,
        )
