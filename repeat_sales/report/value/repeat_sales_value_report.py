# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ...models.engine.repeat_sales_partner_stat import SEGMENTS


class RepeatSalesValueReport(models.Model):
    """Customer value by segment and salesperson: one row per customer and
    company, with the value model's figures of the last fit.

    Sums add up customers: the value over the next 12 months, the customers
    expected to still buy (the sum of their P(alive)). The average P(alive)
    and the average value of a group are ratios of its sums over the
    customers with a prediction, never an average of averages.
    """

    _name = "repeat.sales.value.report"
    _inherit = ["repeat.sales.report.mixin"]
    _description = "Customer Value Analysis"
    _auto = False
    _order = "clv_12m desc, id"
    _rec_name = "partner_id"
    _depends = {
        "repeat.sales.partner.stat": [
            "partner_id",
            "company_id",
            "segment",
            "p_alive",
            "expected_orders_90d",
            "clv_12m",
            "valuable_leaving",
        ],
        "res.partner": ["user_id"],
        "res.users": ["sale_team_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    segment = fields.Selection(SEGMENTS, readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    predicted_count = fields.Integer(
        string="Customers Predicted",
        readonly=True,
        aggregator="sum",
        help="Customers with a prediction of the value model.",
    )
    valued_count = fields.Integer(
        string="Customers Valued",
        readonly=True,
        aggregator="sum",
        help="Customers with a predicted value (the order value model fitted).",
    )
    p_alive = fields.Float(
        string="Probability Alive (Average)",
        readonly=True,
        aggregator="avg",
        help="Over the customers with a prediction.",
    )
    expected_alive = fields.Float(
        string="Customers Expected Still Buying",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="The sum of the customers' probabilities of still buying.",
    )
    expected_orders_90d = fields.Float(
        string="Expected Orders (90 Days)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
    )
    clv_12m = fields.Monetary(string="Value Next 12 Months", readonly=True)
    average_clv_12m = fields.Monetary(
        string="Value per Customer",
        readonly=True,
        aggregator="avg",
        help="Value over the next 12 months per customer with a predicted value.",
    )
    valuable_leaving_count = fields.Integer(
        string="Valuable but Probably Leaving", readonly=True, aggregator="sum"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _repeat_ratio_sql(self, fname, query):
        def column(name):
            return self._field_to_sql(self._table, name, query)

        if fname == "p_alive":
            return column("expected_alive"), column("predicted_count")
        if fname == "average_clv_12m":
            return column("clv_12m"), column("valued_count")
        return ()

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT stat.id, stat.partner_id, stat.company_id,
                   partner.user_id, salesperson.sale_team_id AS team_id,
                   stat.segment, 1 AS customer_count,
                   (stat.p_alive IS NOT NULL)::integer AS predicted_count,
                   (stat.clv_12m IS NOT NULL)::integer AS valued_count,
                   stat.p_alive, stat.p_alive AS expected_alive,
                   stat.expected_orders_90d, stat.clv_12m,
                   stat.clv_12m AS average_clv_12m,
                   COALESCE(stat.valuable_leaving, FALSE)::integer
                       AS valuable_leaving_count
              FROM repeat_sales_partner_stat stat
              JOIN res_partner partner ON partner.id = stat.partner_id
              LEFT JOIN res_users salesperson ON salesperson.id = partner.user_id
            """
        )
