# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RepeatSalesSleepingCostReport(models.Model):
    """What sleeping customers cost: the revenue waiting to be won back.

    One row per month, company and salesperson, from the last segment snapshot
    of the month: sleeping customers × the return rate after contact × their
    average order value. The return rate is the company's measured one (share
    of contacts with sleeping customers followed by an order within 30 days)
    once it has enough contacts, else the rate the company assumes.
    """

    _name = "repeat.sales.sleeping.cost.report"
    _inherit = ["repeat.sales.report.mixin"]
    _snapshot_measures = ("sleeping_count", "order_count", "revenue", "cost")
    _description = "Cost of Sleeping Customers"
    _auto = False
    _order = "date desc"
    _rec_name = "date"
    _depends = {
        "repeat.sales.segment.snapshot": [
            "date",
            "company_id",
            "user_id",
            "segment",
            "customer_count",
            "order_count",
            "revenue",
        ],
        "res.company": [
            "repeat_default_return_rate",
            "repeat_return_rate_min_contacts",
        ],
        "res.users": ["sale_team_id"],
    }

    date = fields.Date(string="Month End", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    sleeping_count = fields.Integer(
        string="Sleeping Customers", readonly=True, aggregator="sum"
    )
    order_count = fields.Integer(
        string="Their Past Orders", readonly=True, aggregator="sum"
    )
    revenue = fields.Monetary(string="Their Past Revenue", readonly=True)
    average_order = fields.Monetary(
        string="Average Order Value", readonly=True, aggregator="avg"
    )
    contacted_count = fields.Integer(
        string="Contacts Measured",
        readonly=True,
        aggregator="max",
        help="Contacts with sleeping customers the company's return rate is "
        "measured on.",
    )
    returned_count = fields.Integer(
        string="Contacts Followed by an Order",
        readonly=True,
        aggregator="max",
    )
    return_rate = fields.Float(
        string="Return Rate (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    rate_measured = fields.Boolean(
        string="Measured Rate",
        readonly=True,
        help="Unset while too few contacts were measured: the assumed rate is used.",
    )
    cost = fields.Monetary(
        string="Revenue at Stake",
        readonly=True,
        help="Sleeping customers × return rate × average order value.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _repeat_ratio_sql(self, fname, query):
        if fname == "average_order":
            return (
                self._field_to_sql(self._table, "revenue", query),
                self._field_to_sql(self._table, "order_count", query),
            )
        return ()

    @property
    def _table_query(self):
        return SQL(
            """
            WITH month_ends AS (
                SELECT company_id, MAX(date) AS date
                  FROM repeat_sales_segment_snapshot
              GROUP BY company_id, date_trunc('month', date)
            ),
            measured AS (
                SELECT company_id, SUM(contacted) AS contacted,
                       SUM(ordered) FILTER (WHERE contacted = 1) AS returned
                  FROM (%(touches)s) touches
                 WHERE segment = 'sleeping'
              GROUP BY company_id
            ),
            rates AS (
                SELECT company.id AS company_id,
                       COALESCE(measured.contacted, 0) AS contacted,
                       COALESCE(measured.returned, 0) AS returned,
                       COALESCE(measured.contacted, 0)
                           >= company.repeat_return_rate_min_contacts AS measured,
                       CASE WHEN COALESCE(measured.contacted, 0)
                                     >= company.repeat_return_rate_min_contacts
                            THEN 100.0 * measured.returned / measured.contacted
                            ELSE company.repeat_default_return_rate
                       END AS rate
                  FROM res_company company
                  LEFT JOIN measured ON measured.company_id = company.id
            )
            SELECT snapshot.id, snapshot.date, snapshot.company_id, snapshot.user_id,
                   salesperson.sale_team_id AS team_id,
                   snapshot.customer_count AS sleeping_count,
                   snapshot.order_count, snapshot.revenue,
                   ROUND(snapshot.revenue / NULLIF(snapshot.order_count, 0),
                         currency.decimal_places) AS average_order,
                   rates.contacted::integer AS contacted_count,
                   rates.returned::integer AS returned_count,
                   ROUND(rates.rate::numeric, 1)::float AS return_rate,
                   rates.measured AS rate_measured,
                   ROUND(snapshot.customer_count * rates.rate / 100.0
                         * COALESCE(snapshot.revenue
                                    / NULLIF(snapshot.order_count, 0), 0),
                         currency.decimal_places) AS cost
              FROM repeat_sales_segment_snapshot snapshot
              JOIN month_ends USING (company_id, date)
              JOIN rates USING (company_id)
              JOIN res_company company ON company.id = snapshot.company_id
              JOIN res_currency currency ON currency.id = company.currency_id
              LEFT JOIN res_users salesperson ON salesperson.id = snapshot.user_id
             WHERE snapshot.segment = 'sleeping'
            """,
            touches=self.env["repeat.sales.reactivation.report"]._touches_sql(),
        )
