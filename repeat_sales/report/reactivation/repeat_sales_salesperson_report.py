# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class RepeatSalesSalespersonReport(models.Model):
    """What each salesperson did for repeat sales, and what came of it.

    One row per event, dated: a reactivation call (made, reached), a confirmed
    repeat order (its revenue; a reactivation when the order before it was
    older than the company's warm threshold), a follow-up activity (done by
    its deadline, or overdue: done later, or not done and past it).
    """

    _name = "repeat.sales.salesperson.report"
    _description = "Salesperson Repeat Sales KPIs"
    _auto = False
    _order = "date desc"
    _rec_name = "user_id"
    _depends = {
        "repeat.sales.call": [
            "user_id",
            "company_id",
            "call_date",
            "reached",
            "active",
        ],
        "repeat.sales.followup": ["user_id", "company_id", "deadline", "done_date"],
        "sale.order": [
            "state",
            "partner_id",
            "company_id",
            "user_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
        ],
        "res.company": ["repeat_warm_days"],
        "res.users": ["sale_team_id"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    calls_made = fields.Integer(readonly=True, aggregator="sum")
    calls_reached = fields.Integer(readonly=True, aggregator="sum")
    reactivations = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Orders of customers whose previous order was older than the warm "
        "threshold.",
    )
    repeat_orders = fields.Integer(readonly=True, aggregator="sum")
    repeat_revenue = fields.Monetary(
        readonly=True, help="Untaxed revenue of repeat orders, in company currency."
    )
    followups_on_time = fields.Integer(
        string="Follow-ups Done on Time", readonly=True, aggregator="sum"
    )
    followups_overdue = fields.Integer(
        string="Follow-ups Overdue", readonly=True, aggregator="sum"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT events.*, salesperson.sale_team_id AS team_id
              FROM (%(events)s) events
              LEFT JOIN res_users salesperson ON salesperson.id = events.user_id
            """,
            events=self._events_sql(),
        )

    @api.model
    def _events_sql(self, live=False):
        """Calls, repeat orders and follow-up activities as dated rows.

        The orders' ranks come from the order report's table, as of the last
        nightly run; ``live`` ranks them again from every order (the bonus
        figures of a period the manager updates).
        """
        if live:
            orders = self.env["repeat.sales.order.report"]._ranked_orders_sql()
        else:
            orders = SQL(
                """SELECT id, date, company_id, user_id, order_rank,
                          previous_date, amount
                     FROM %s""",
                SQL.identifier(self.env["repeat.sales.order.report"]._table),
            )
        return SQL(
            """
            SELECT call.id * 3 AS id, call.call_date::date AS date,
                   call.company_id, call.user_id, 1 AS calls_made,
                   call.reached::integer AS calls_reached,
                   0 AS reactivations, 0 AS repeat_orders, 0 AS repeat_revenue,
                   0 AS followups_on_time, 0 AS followups_overdue
              FROM repeat_sales_call call
             WHERE call.active
         UNION ALL
            SELECT ranked.id * 3 + 1, ranked.date, ranked.company_id, ranked.user_id,
                   0, 0,
                   (ranked.date - ranked.previous_date
                        > company.repeat_warm_days)::integer,
                   1, ranked.amount, 0, 0
              FROM (%(orders)s) ranked
              JOIN res_company company ON company.id = ranked.company_id
             WHERE ranked.order_rank > 1
         UNION ALL
            SELECT followup.id * 3 + 2, followup.deadline, followup.company_id,
                   followup.user_id, 0, 0, 0, 0, 0,
                   COALESCE(followup.done_date <= followup.deadline,
                            FALSE)::integer,
                   COALESCE(followup.done_date > followup.deadline,
                            followup.deadline < %(today)s)::integer
              FROM repeat_sales_followup followup
             WHERE followup.deadline IS NOT NULL
               AND followup.state = 'done'
            """,
            orders=orders,
            today=fields.Date.context_today(self),
        )
