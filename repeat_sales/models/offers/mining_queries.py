# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One SELECT of fresh offer rules per kind (columns: RULE_COLUMNS of the
mining), over the mining's temporary tables of baskets and customer
products."""

from odoo.tools import SQL

BASKET_TABLE = "repeat_sales_offer_basket"
CUSTOMER_PRODUCT_TABLE = "repeat_sales_offer_customer_product"
# "Bought next" pairs a customer's products by first purchase date; a customer
# counts its first products only: a customer of 2,000 products would otherwise
# add millions of pairs on its own.
MAX_CUSTOMER_PRODUCTS = 200


def least(companies, field):
    """The loosest threshold of these companies, to prune before joining them."""
    return min(companies.mapped(field))


def together_sql(companies):
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
        least_customers=least(companies, "repeat_offer_min_customers"),
        candidates=candidates_sql("directed", "items", "orders"),
    )


def candidates_sql(pairs, items, count):
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


def next_sql(companies):
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
        least_customers=least(companies, "repeat_offer_min_customers"),
        candidates=candidates_sql("pairs", "buyers", "customers"),
    )


def again_sql():
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
