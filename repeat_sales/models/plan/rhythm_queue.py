# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rhythm steps' queue: one INSERT of every customer now late against
their own rhythm (see ``repeat.sales.followup._queue_due_steps``)."""

from odoo.tools import SQL

from .step_selection import insert_reached_sql, step_applies_sql

# Two gaps between orders at least: fewer orders make no rhythm.
RHYTHM_MIN_ORDERS = 3


def queue_rhythm_steps_sql(customers, today, uid, now):
    """``customers``: the figures rows with the customers' history (order
    count, average gap, expected next order).

    A customer is late for a step on their last order date plus the step's
    factor times their average gap (rounded up), or on their expected next
    order date, plus the step's days. The row's purchase is the last order:
    one row per step and late period, which a new order ends.
    """
    return SQL(
        """
        WITH steps AS (
            SELECT step.id AS step_id, step.company_id, step.days,
                   step.rhythm_basis, step.rhythm_factor,
                   step.apply_to_hot, step.apply_to_warm, step.apply_to_sleeping,
                   step.min_p_alive, step.max_p_alive, step.min_clv_12m,
                   company.repeat_followup_catch_up_days AS catch_up
              FROM repeat_sales_followup_step step
              JOIN res_company company ON company.id = step.company_id
             WHERE step.active AND step.trigger = 'rhythm'
        ),
        late AS (
            SELECT customer.partner_id, customer.company_id,
                   customer.last_order_date AS order_date, step.step_id,
                   step.catch_up,
                   CASE step.rhythm_basis
                       WHEN 'expected' THEN customer.expected_order_date
                       ELSE customer.last_order_date + CEIL(
                           step.rhythm_factor * customer.average_gap_days
                       )::integer
                   END + step.days AS due_date
              FROM %(customers)s customer
              JOIN steps step ON step.company_id = customer.company_id
              JOIN res_partner partner ON partner.id = customer.partner_id
             WHERE customer.order_count >= %(min_orders)s
               AND customer.average_gap_days >= 1
               AND %(step_applies)s
        ),
        reached AS (
            SELECT late.*,
                   MAX(due_date) OVER (
                       PARTITION BY partner_id, company_id
                   ) AS latest_due_date
              FROM late
             WHERE due_date BETWEEN %(today)s::date - catch_up AND %(today)s::date
        )
        %(insert)s
        """,
        customers=customers,
        min_orders=RHYTHM_MIN_ORDERS,
        step_applies=step_applies_sql("step", "customer", "partner"),
        today=today,
        insert=insert_reached_sql(
            SQL("due_date"), SQL("due_date = latest_due_date"), uid, now
        ),
    )
