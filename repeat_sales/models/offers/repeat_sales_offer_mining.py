# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.tools import SQL

from ...db_tuning import create_analyzed_temp_table, large_joins_plan

_logger = logging.getLogger(__name__)

# A basket counts its first lines only (by line sequence): a 2,000-line order
# would otherwise add 2 million pairs on its own.
MAX_BASKET_LINES = 50
# "Bought next" pairs a customer's products by first purchase date; a customer
# counts its first products only, for the same reason.
MAX_CUSTOMER_PRODUCTS = 200
BASKET_TABLE = "repeat_sales_offer_basket"
CUSTOMER_PRODUCT_TABLE = "repeat_sales_offer_customer_product"
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
                ("together", self._together_sql(companies)),
                ("next", self._next_sql(companies)),
                ("again", self._again_sql()),
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

    @api.model
    def _least(self, companies, field):
        """The loosest threshold of these companies, to prune before joining them."""
        return min(companies.mapped(field))

    # ------------------------------------------------------------------
    # One SELECT of fresh rules per kind (columns: RULE_COLUMNS)
    # ------------------------------------------------------------------

    def _together_sql(self, companies):
        """Products in the same order: support, confidence, lift, customers."""
        return SQL(
            """
            WITH totals AS (
                SELECT company_id, COUNT(*) FILTER (WHERE opens_order) AS orders
                  FROM %(basket)s GROUP BY company_id
            ),
            items AS (
                SELECT company_id, product_id, COUNT(*) AS orders
                  FROM %(basket)s GROUP BY company_id, product_id
            ),
            pairs AS MATERIALIZED (
                SELECT a.company_id, a.product_id AS low, b.product_id AS high,
                       COUNT(*) AS orders
                  FROM %(basket)s a
                  JOIN %(basket)s b
                    ON b.order_id = a.order_id AND b.product_id > a.product_id
              GROUP BY 1, 2, 3
                HAVING COUNT(*) >= %(least_customers)s
            ),
            directed AS (
                SELECT company_id, low AS product_id, high AS target_id, orders
                  FROM pairs
                 UNION ALL
                SELECT company_id, high, low, orders FROM pairs
            ),
            candidates AS MATERIALIZED (%(candidates)s),
            candidate_pairs AS MATERIALIZED (
                SELECT DISTINCT company_id, LEAST(product_id, target_id) AS low,
                       GREATEST(product_id, target_id) AS high
                  FROM candidates
            ),
            sides AS MATERIALIZED (
                SELECT x.order_id, x.company_id, x.partner_id, x.product_id
                  FROM %(basket)s x
                 WHERE (x.company_id, x.product_id) IN (
                           SELECT company_id, low FROM candidate_pairs
                            UNION
                           SELECT company_id, high FROM candidate_pairs)
            ),
            -- Pairs of the candidates' products within each order first: a
            -- product of many candidate pairs is then read once per order,
            -- not once per pair.
            side_pairs AS MATERIALIZED (
                SELECT a.company_id, a.partner_id, a.product_id AS low,
                       b.product_id AS high
                  FROM sides a
                  JOIN sides b
                    ON b.order_id = a.order_id AND b.product_id > a.product_id
            ),
            customers AS (
                SELECT pair.company_id, pair.low, pair.high,
                       COUNT(DISTINCT side.partner_id) AS customers
                  FROM candidate_pairs pair
                  JOIN side_pairs side
                    ON side.company_id = pair.company_id AND side.low = pair.low
                   AND side.high = pair.high
              GROUP BY 1, 2, 3
            )
            SELECT c.company_id, c.product_id, c.target_id, n.customers::integer,
                   c.orders::integer, c.support, c.confidence, c.lift,
                   0::numeric, NULL::numeric
              FROM candidates c
              JOIN res_company company ON company.id = c.company_id
              JOIN customers n
                ON n.company_id = c.company_id
               AND n.low = LEAST(c.product_id, c.target_id)
               AND n.high = GREATEST(c.product_id, c.target_id)
             WHERE n.customers >= company.repeat_offer_min_customers
            """,
            basket=SQL.identifier(BASKET_TABLE),
            least_customers=self._least(companies, "repeat_offer_min_customers"),
            candidates=self._candidates_sql("directed", "items", "orders"),
        )

    def _candidates_sql(self, pairs, items, count):
        """The pairs passing their company's thresholds, with their measures.

        ``pairs`` (company_id, product_id, target_id, ``count``), ``items``
        (company_id, product_id, ``count``) and ``totals`` (company_id,
        ``count``) are relations of the calling statement; ``count`` is what
        is counted: orders for "bought together", customers for "bought next".
        """
        return SQL(
            """
            SELECT p.company_id, p.product_id, p.target_id, p.%(count)s,
                   p.%(count)s::numeric / total.%(count)s AS support,
                   p.%(count)s::numeric / source.%(count)s AS confidence,
                   p.%(count)s::numeric * total.%(count)s
                       / (source.%(count)s * target.%(count)s) AS lift
              FROM %(pairs)s p
              JOIN res_company company ON company.id = p.company_id
              JOIN totals total ON total.company_id = p.company_id
              JOIN %(items)s source
                ON source.company_id = p.company_id
               AND source.product_id = p.product_id
              JOIN %(items)s target
                ON target.company_id = p.company_id
               AND target.product_id = p.target_id
             WHERE p.%(count)s >= company.repeat_offer_min_customers
               AND p.%(count)s
                   >= company.repeat_offer_min_confidence * source.%(count)s
               AND p.%(count)s::numeric * total.%(count)s
                   >= company.repeat_offer_min_lift
                      * source.%(count)s * target.%(count)s
            """,
            pairs=SQL.identifier(pairs),
            items=SQL.identifier(items),
            count=SQL.identifier(count),
        )

    def _next_sql(self, companies):
        """A then B within the window, B first bought on a later day than A.

        A customer counts their first products only (``position``).
        """
        return SQL(
            """
            WITH bought AS NOT MATERIALIZED (
                SELECT * FROM %(bought)s WHERE position <= %(max_products)s
            ),
            totals AS (
                SELECT company_id, COUNT(*) FILTER (WHERE position = 1) AS customers
                  FROM bought GROUP BY company_id
            ),
            buyers AS (
                SELECT company_id, product_id, COUNT(*) AS customers
                  FROM bought GROUP BY company_id, product_id
            ),
            pairs AS (
                SELECT a.company_id, a.product_id, b.product_id AS target_id,
                       COUNT(*) AS customers
                  FROM bought a
                  JOIN bought b
                    ON b.company_id = a.company_id AND b.partner_id = a.partner_id
                   AND b.first_date > a.first_date AND b.first_date <= a.window_end
              GROUP BY 1, 2, 3
                HAVING COUNT(*) >= %(least_customers)s
            ),
            candidates AS MATERIALIZED (%(candidates)s),
            delays AS (
                SELECT c.company_id, c.product_id, c.target_id,
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY b.first_date - a.first_date
                       ) AS delay
                  FROM candidates c
                  JOIN bought a
                    ON a.company_id = c.company_id AND a.product_id = c.product_id
                  JOIN (SELECT * FROM bought
                         WHERE (company_id, product_id) IN (
                                   SELECT company_id, target_id FROM candidates)
                       ) b
                    ON b.company_id = a.company_id AND b.partner_id = a.partner_id
                   AND b.product_id = c.target_id
                   AND b.first_date > a.first_date AND b.first_date <= a.window_end
              GROUP BY 1, 2, 3
            )
            SELECT c.company_id, c.product_id, c.target_id, c.customers::integer,
                   NULL::integer, c.support, c.confidence, c.lift,
                   d.delay::numeric, NULL::numeric
              FROM candidates c
              JOIN delays d
                ON d.company_id = c.company_id AND d.product_id = c.product_id
               AND d.target_id = c.target_id
            """,
            bought=SQL.identifier(CUSTOMER_PRODUCT_TABLE),
            max_products=MAX_CUSTOMER_PRODUCTS,
            least_customers=self._least(companies, "repeat_offer_min_customers"),
            candidates=self._candidates_sql("pairs", "buyers", "customers"),
        )

    def _again_sql(self):
        """Products re-bought by the same customer: median days between purchases.

        Buyers and repeat buyers (bought on two days or more) are counted on
        the customer-product table; the gaps are read for the products
        passing the thresholds only.
        """
        return SQL(
            """
            WITH candidates AS MATERIALIZED (
                SELECT b.company_id, b.product_id, b.repeaters,
                       b.repeaters::numeric / b.buyers AS confidence
                  FROM (
                    SELECT company_id, product_id, COUNT(*) AS buyers,
                           COUNT(*) FILTER (WHERE last_date > first_date)
                               AS repeaters
                      FROM %(bought)s GROUP BY company_id, product_id
                  ) b
                  JOIN res_company company ON company.id = b.company_id
                 WHERE b.repeaters >= company.repeat_offer_min_customers
                   AND b.repeaters >= company.repeat_offer_min_confidence * b.buyers
            ),
            gaps AS (
                SELECT company_id, product_id,
                       order_date - LAG(order_date) OVER (
                           PARTITION BY company_id, partner_id, product_id
                           ORDER BY order_date
                       ) AS gap
                  FROM (SELECT DISTINCT x.company_id, x.partner_id, x.product_id,
                                        x.order_date
                          FROM %(basket)s x
                          JOIN candidates c
                            ON c.company_id = x.company_id
                           AND c.product_id = x.product_id) purchase
            ),
            cycles AS (
                SELECT company_id, product_id, COUNT(*) AS gaps,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS delay,
                       STDDEV_POP(gap) / NULLIF(AVG(gap), 0) AS cv
                  FROM gaps
                 WHERE gap IS NOT NULL
              GROUP BY 1, 2
            )
            SELECT c.company_id, c.product_id, c.product_id, c.repeaters::integer,
                   cycle.gaps::integer, NULL::numeric, c.confidence, NULL::numeric,
                   cycle.delay::numeric, ROUND(cycle.cv, 4)
              FROM candidates c
              JOIN cycles cycle
                ON cycle.company_id = c.company_id AND cycle.product_id = c.product_id
            """,
            basket=SQL.identifier(BASKET_TABLE),
            bought=SQL.identifier(CUSTOMER_PRODUCT_TABLE),
        )

    # ------------------------------------------------------------------
    # Writing: one statement per kind
    # ------------------------------------------------------------------

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
