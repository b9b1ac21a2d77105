# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which customers a plan step applies to, and the follow-up rows a step
reached gives: the rules both queues (days without an order or after
confirmation, and the customer's own rhythm) share."""

from odoo.tools import SQL


def step_applies_sql(step, customer, partner):
    """Condition on the aliases ``step`` (a ``steps`` row of the queue),
    ``customer`` (a figures row with its segment, P(alive) and value) and
    ``partner`` (the customer's ``res_partner`` row): the customer is active,
    of the step's company, in a segment the step applies to, and within the
    step's value limits (0, 1 and 0 select nobody out; a limit set leaves out
    the customers without a prediction)."""
    step, customer, partner = (
        SQL.identifier(step),
        SQL.identifier(customer),
        SQL.identifier(partner),
    )
    return SQL(
        """%(partner)s.active
           AND (%(partner)s.company_id IS NULL
                OR %(partner)s.company_id = %(customer)s.company_id)
           AND CASE %(customer)s.segment
                   WHEN 'hot' THEN %(step)s.apply_to_hot
                   WHEN 'warm' THEN %(step)s.apply_to_warm
                   WHEN 'sleeping' THEN %(step)s.apply_to_sleeping
                   ELSE FALSE
               END
           AND (COALESCE(%(step)s.min_p_alive, 0) <= 0
                OR %(customer)s.p_alive >= %(step)s.min_p_alive)
           AND (COALESCE(%(step)s.max_p_alive, 1) >= 1
                OR %(customer)s.p_alive <= %(step)s.max_p_alive)
           AND (COALESCE(%(step)s.min_clv_12m, 0) <= 0
                OR %(customer)s.clv_12m >= %(step)s.min_clv_12m)""",
        step=step,
        customer=customer,
        partner=partner,
    )


def insert_reached_sql(due_date, keep, uid, now):
    """The INSERT that ends both queues: one pending follow-up per row of the
    CTE ``reached`` (partner_id, company_id, step_id, order_date) that the
    condition ``keep`` selects, due on ``due_date``; a follow-up of the same
    customer, company, step and purchase already queued stays as it is."""
    return SQL(
        """
        INSERT INTO repeat_sales_followup
               (partner_id, company_id, step_id, order_date, due_date, state,
                digest_sent, create_uid, create_date, write_uid, write_date)
        SELECT partner_id, company_id, step_id, order_date, %(due_date)s,
               'pending', false, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM reached
         WHERE %(keep)s
        ON CONFLICT (partner_id, company_id, step_id, order_date) DO NOTHING
        """,
        due_date=due_date,
        keep=keep,
        uid=uid,
        now=now,
    )
