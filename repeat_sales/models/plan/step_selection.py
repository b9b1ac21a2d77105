# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which customers a plan step applies to: the one rule both queues (days
without an order or after confirmation, and the customer's own rhythm) read."""

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
