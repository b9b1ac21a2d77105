# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ...db_tuning import analyze, insert_without_keys
from ..repeat_sales_report_tables import CHANGED_TABLE


class RepeatSalesOrderReport(models.Model):
    """Confirmed orders as first or repeat purchases of their customer.

    One row per confirmed order: revenue per month split into first orders and
    repeat orders, per company, salesperson and customer.

    A table kept by the nightly ``reports`` step (the ranks of the customers
    with an order written since its last run are computed again; every order
    weekly), not a window over the whole order history at every click: its
    figures are those of the step's last run.
    """

    _name = "repeat.sales.order.report"
    _description = "Repeat Revenue Analysis"
    _order = "date desc"
    _rec_name = "order_id"
    _log_access = False

    # Indexed: deleting an order sets its row's order_id to null through the
    # foreign key, which must not scan the table.
    order_id = fields.Many2one("sale.order", readonly=True, index=True)
    date = fields.Date(string="Order Date", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    order_kind = fields.Selection(
        [("first", "First Order"), ("repeat", "Repeat Order")],
        string="Kind of Order",
        readonly=True,
    )
    order_rank = fields.Integer(readonly=True, aggregator="max")
    previous_date = fields.Date(
        string="Previous Order Date",
        readonly=True,
        help="The customer's order before this one, in this company.",
    )
    amount = fields.Monetary(
        string="Revenue", readonly=True, help="Untaxed amount, in company currency."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def _refresh_all(self):
        """Every confirmed order ranked again (install, weekly)."""
        cr = self.env.cr
        cr.execute(SQL("TRUNCATE %s", SQL.identifier(self._table)))
        # A row per order: its keys and foreign keys built once after.
        insert_without_keys(
            cr, self._table, self._insert_ranked_sql(self._ranked_orders_sql())
        )
        analyze(cr, [self._table])
        self.invalidate_model()

    @api.model
    def _refresh_customers(self, partner_ids):
        """The orders of the changed (customer, company) pairs of
        CHANGED_TABLE ranked again: their rows replaced."""
        cr = self.env.cr
        changed = SQL.identifier(CHANGED_TABLE)
        cr.execute(
            SQL(
                """DELETE FROM %(report)s report
                    USING %(changed)s changed
                    WHERE report.partner_id = changed.partner_id
                      AND report.company_id = changed.company_id""",
                report=SQL.identifier(self._table),
                changed=changed,
            )
        )
        cr.execute(
            self._insert_ranked_sql(
                SQL(
                    """SELECT ranked.* FROM (%(ranked)s) ranked
                         JOIN %(changed)s changed
                           ON changed.partner_id = ranked.partner_id
                          AND changed.company_id = ranked.company_id""",
                    ranked=self._ranked_orders_sql(partner_ids),
                    changed=changed,
                )
            )
        )
        self.invalidate_model()

    @api.model
    def _insert_ranked_sql(self, ranked):
        return SQL(
            """INSERT INTO %(report)s
                   (id, order_id, date, company_id, user_id, team_id, partner_id,
                    order_rank, previous_date, order_kind, amount)
               SELECT ranked.id, ranked.id, ranked.date, ranked.company_id,
                      ranked.user_id, ranked.team_id, ranked.partner_id,
                      ranked.order_rank, ranked.previous_date,
                      CASE WHEN ranked.order_rank = 1 THEN 'first' ELSE 'repeat' END,
                      ranked.amount
                 FROM (%(ranked)s) ranked""",
            report=SQL.identifier(self._table),
            ranked=ranked,
        )

    @api.model
    def _ranked_orders_sql(self, partner_ids=None):
        """Confirmed orders with their rank among their customer's, per company,
        and the date of the order before (of these customers only, if given)."""
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
            self.env["repeat.sales.order.facts"]._orders_sql(partner_ids=partner_ids),
        )
