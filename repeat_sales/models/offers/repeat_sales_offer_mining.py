# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.tools import SQL

from ...db_tuning import create_analyzed_temp_table, large_joins_plan
from .mining_queries import (
    BASKET_TABLE,
    CUSTOMER_PRODUCT_TABLE,
    again_sql,
    next_sql,
    together_sql,
)

_logger = logging.getLogger(__name__)

# A basket counts its first lines only (by line sequence): a 2,000-line order
# would otherwise add 2 million pairs on its own.
MAX_BASKET_LINES = 50
# Per sort or hash of the mining statements: pair counts stay in memory.
WORK_MEM = "64MB"
# Columns of each kind's fresh rules, in this order.
RULE_COLUMNS = (
    "company_id",
    "product_id",
    "target_product_id",
    "customer_count",
    "order_count",
    "support",
    "confidence",
    "lift",
    "delay_days",
    "delay_cv",
)


class RepeatSalesOfferMining(models.AbstractModel):
    """Mines offer rules from the confirmed order lines, in PostgreSQL.

    The lines are read once into a temporary table of baskets (order, customer,
    day, product), summed up in a second one per customer and product (first
    and last purchase day); each rule kind is then one statement over them
    that counts, applies the company's thresholds and writes the rules. Pair
    counting is done in two phases: a hash aggregate counts every pair, and
    only the pairs passing the thresholds are read again for what needs more
    than a count (distinct customers, median delays). No order line reaches
    Python.
    """

    _name = "repeat.sales.offer.mining"
    _description = "Offer Rule Mining"

    @api.model
    def _mine(self, companies=None):
        """Mine the rules of every kind for these companies (default: all).

        Rerunning on the same orders changes nothing; manual rules and the
        switched-off flag of mined rules are kept. Returns a dict with the
        rows written and removed per kind.
        """
        companies = companies or self.env["res.company"].search([])
        self._flush_sources()
        counts = {}
        with self._planner_settings():
            self._fill_baskets(companies)
            for kind, fresh in (
                ("together", together_sql(companies)),
                ("next", next_sql(companies)),
                ("again", again_sql()),
            ):
                counts[kind] = self._store_rules(kind, fresh, companies)
        for table in (BASKET_TABLE, CUSTOMER_PRODUCT_TABLE):
            self.env.cr.execute(SQL("DROP TABLE %s", SQL.identifier(table)))
        self.env["repeat.sales.offer.rule"].invalidate_model()
        _logger.info("repeat_sales: offer rules mined (written, removed): %s", counts)
        return counts

    def _planner_settings(self):
        """Hash joins only, no JIT, for the mining statements: the pair counts
        and candidates have no statistics, and every join is an equality
        between large unsorted sets. ``work_mem`` bounds the memory of each
        sort or hash (pair counts spill to disk beyond it)."""
        return large_joins_plan(self.env.cr, WORK_MEM)

    def _flush_sources(self):
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "sequence", "display_type"]
        )
        self.env["repeat.sales.order.facts"]._flush()
        self.env["res.company"].flush_model()
        self.env["repeat.sales.offer.rule"].flush_model()

    def _fill_baskets(self, companies):
        """One row per (order, product) of confirmed orders: the only line read.

        ``opens_order`` marks one row per order, so that orders are counted
        without a DISTINCT. The second table has one row per customer and
        product: first and last purchase day, the customer's window for
        "bought next" and the product's rank among the customer's purchases.
        """
        self._create_analyzed_table(
            BASKET_TABLE,
            SQL(
                """
                SELECT line.order_id, line.company_id, line.partner_id,
                       line.order_date, line.product_id,
                       MIN(line.position) = 1 AS opens_order
                  FROM (
                    SELECT sol.order_id, facts.company_id, facts.partner_id,
                           facts.order_date, sol.product_id,
                           ROW_NUMBER() OVER (
                               PARTITION BY sol.order_id ORDER BY sol.sequence, sol.id
                           ) AS position
                      FROM sale_order_line sol
                      JOIN (%(facts)s) facts ON facts.order_id = sol.order_id
                     WHERE sol.product_id IS NOT NULL
                       AND sol.display_type IS NULL
                  ) line
                 WHERE line.position <= %(max_lines)s
              GROUP BY 1, 2, 3, 4, 5
                """,
                facts=self.env["repeat.sales.order.facts"]._orders_sql(
                    company_ids=companies.ids
                ),
                max_lines=MAX_BASKET_LINES,
            ),
        )
        self._create_analyzed_table(
            CUSTOMER_PRODUCT_TABLE,
            SQL(
                """
                SELECT bought.*,
                       bought.first_date + company.repeat_offer_window_days
                           AS window_end
                  FROM (
                    SELECT company_id, partner_id, product_id,
                           MIN(order_date) AS first_date,
                           MAX(order_date) AS last_date,
                           ROW_NUMBER() OVER (
                               PARTITION BY company_id, partner_id
                               ORDER BY MIN(order_date), product_id
                           )::integer AS position
                      FROM %(basket)s
                  GROUP BY company_id, partner_id, product_id
                  ) bought
                  JOIN res_company company ON company.id = bought.company_id
                """,
                basket=SQL.identifier(BASKET_TABLE),
            ),
        )

    def _create_analyzed_table(self, table, query):
        create_analyzed_temp_table(self.env.cr, table, query)

    def _store_rules(self, kind, fresh, companies):
        """Upsert the fresh rules of a kind; remove the active ones gone.

        The evidence of a rule found again is updated in place (only when it
        changed) and its ``active`` flag is left alone; a switched-off rule
        that the orders no longer show is kept, so the flag survives until it
        shows again.
        """
        names = SQL(", ").join(SQL.identifier(name) for name in RULE_COLUMNS)
        evidence = RULE_COLUMNS[3:]
        self.env.cr.execute(
            SQL(
                """
                WITH fresh (%(names)s) AS MATERIALIZED (%(fresh)s),
                removed AS (
                    DELETE FROM repeat_sales_offer_rule stale
                     WHERE stale.kind = %(kind)s
                       AND stale.active
                       AND stale.company_id = ANY(%(company_ids)s)
                       AND NOT EXISTS (
                           SELECT 1 FROM fresh
                            WHERE fresh.company_id = stale.company_id
                              AND fresh.product_id = stale.product_id
                              AND fresh.target_product_id = stale.target_product_id)
                 RETURNING 1
                ),
                written AS (
                    INSERT INTO repeat_sales_offer_rule AS rule
                           (kind, active, create_uid, create_date, write_uid,
                            write_date, %(names)s)
                    SELECT %(kind)s, true, %(uid)s, %(now)s, %(uid)s, %(now)s,
                           %(names)s
                      FROM fresh
                    ON CONFLICT (company_id, kind, product_id, target_product_id)
                    DO UPDATE SET (%(evidence)s, write_uid, write_date)
                                = (%(excluded)s, EXCLUDED.write_uid,
                                   EXCLUDED.write_date)
                     WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                 RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM written), (SELECT COUNT(*) FROM removed)
                """,
                names=names,
                fresh=fresh,
                kind=kind,
                company_ids=companies.ids,
                uid=self.env.uid,
                now=self.env.cr.now(),
                evidence=SQL(", ").join(SQL.identifier(name) for name in evidence),
                excluded=SQL(", ").join(
                    SQL("EXCLUDED.%s", SQL.identifier(name)) for name in evidence
                ),
                current=SQL(", ").join(
                    SQL("rule.%s", SQL.identifier(name)) for name in evidence
                ),
            )
        )
        return self.env.cr.fetchone()
