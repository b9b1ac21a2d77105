# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up plan's queue: one INSERT of every step now due, for every
customer (see ``repeat.sales.followup._queue_due_steps``)."""

from odoo.tools import SQL

from .step_selection import insert_reached_sql, step_applies_sql


def queue_due_steps_sql(customers, recent_orders, today, uid, now):
    """``customers``: the figures rows (partner, company, last order date,
    segment, P(alive), value over 12 months); ``recent_orders``: the order
    facts of the orders recent enough for a step after confirmation (it may
    read the CTE ``steps``)."""
    return SQL(
        """
        WITH steps AS (
            SELECT step.id AS step_id, step.company_id, step.days,
                   step.trigger, step.apply_to_hot, step.apply_to_warm,
                   step.apply_to_sleeping,
                   company.repeat_followup_catch_up_days AS catch_up,
                   step.min_p_alive, step.max_p_alive, step.min_clv_12m
              FROM repeat_sales_followup_step step
              JOIN res_company company ON company.id = step.company_id
             WHERE step.active
        ),
        purchases AS (
            -- Days without a new order count from the last order.
            SELECT customer.partner_id, customer.company_id,
                   customer.last_order_date AS order_date,
                   'no_order' AS trigger, customer.segment,
                   customer.p_alive, customer.clv_12m
              FROM %(customers)s customer
            UNION ALL
            -- Steps after confirmation follow every recent order.
            SELECT DISTINCT customer.partner_id, customer.company_id,
                   facts.order_date, 'confirmation', customer.segment,
                   customer.p_alive, customer.clv_12m
              FROM (%(recent_orders)s) facts
              JOIN %(customers)s customer
                ON customer.partner_id = facts.partner_id
               AND customer.company_id = facts.company_id
        ),
        reached AS (
            SELECT purchase.partner_id, purchase.company_id,
                   purchase.order_date, step.step_id, step.days,
                   MAX(step.days) OVER (
                       PARTITION BY purchase.partner_id, purchase.company_id,
                                    purchase.trigger, purchase.order_date
                   ) AS latest_days
              FROM purchases purchase
              JOIN steps step
                ON step.company_id = purchase.company_id
               AND step.trigger = purchase.trigger
               AND purchase.order_date
                   BETWEEN %(today)s::date - step.days - step.catch_up
                       AND %(today)s::date - step.days
              JOIN res_partner partner ON partner.id = purchase.partner_id
             WHERE %(step_applies)s
        )
        %(insert)s
        """,
        customers=customers,
        recent_orders=recent_orders,
        step_applies=step_applies_sql("step", "purchase", "partner"),
        today=today,
        insert=insert_reached_sql(
            SQL("order_date + days"), SQL("days = latest_days"), uid, now
        ),
    )
