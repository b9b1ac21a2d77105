# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class RepeatSalesOrderReport(models.Model):
    """Confirmed orders as first or repeat purchases of their customer.

    One row per confirmed order: revenue per month split into first orders and
    repeat orders, per company, salesperson and customer.
    """

    _name = "repeat.sales.order.report"
    _description = "Repeat Revenue Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    _depends = {
        "sale.order": [
            "state",
            "partner_id",
            "company_id",
            "user_id",
            "team_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    date = fields.Date(string="Order Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    order_kind = fields.Selection(
        [("first", "First Order"), ("repeat", "Repeat Order")],
        string="Kind of Order",
        readonly=True,
    )
    order_rank = fields.Integer(readonly=True, aggregator="max")
    amount = fields.Monetary(
        string="Revenue", readonly=True, help="Untaxed amount, in company currency."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ranked.id, ranked.id AS order_id, ranked.date, ranked.company_id,
                   ranked.user_id, ranked.team_id, ranked.partner_id,
                   ranked.order_rank,
                   CASE WHEN ranked.order_rank = 1 THEN 'first' ELSE 'repeat' END
                       AS order_kind,
                   ranked.amount
              FROM (%s) ranked
            """,
            self._ranked_orders_sql(),
        )

    @api.model
    def _ranked_orders_sql(self):
        """Confirmed orders with their rank among their customer's, per company,
        and the date of the order before."""
        return SQL(
            """
            SELECT facts.order_id AS id, facts.order_date AS date,
                   facts.company_id, facts.user_id, facts.team_id, facts.partner_id,
                   ROW_NUMBER() OVER customer_orders AS order_rank,
                   LAG(facts.order_date) OVER customer_orders AS previous_date,
                   facts.amount
              FROM (%s) facts
            WINDOW customer_orders AS (
                PARTITION BY facts.partner_id, facts.company_id
                ORDER BY facts.date_order, facts.order_id)
            """,
            self.env["repeat.sales.order.facts"]._orders_sql(),
        )
