# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RepeatSalesCohortReport(models.Model):
    """Cohort retention: customers by month of first order, and who came back.

    One row per company, cohort month and number of months since: how many of
    the cohort's customers ordered in that month, and their share of the cohort.
    Month 0 is the month of the first order (every customer of the cohort).

    A small table kept by the nightly ``reports`` step (see
    ``repeat_sales_cohort_report_refresh.py``), not a scan of the whole order
    history at every click: its figures are those of the step's last run,
    shown as *As of*.
    """

    _name = "repeat.sales.cohort.report"
    _inherit = ["repeat.sales.report.mixin"]
    _description = "Customer Cohort Retention"
    _order = "cohort_month desc, months_since"
    _rec_name = "cohort_month"
    _log_access = False

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    cohort_month = fields.Date(string="First Order Month", readonly=True)
    months_since = fields.Integer(readonly=True, aggregator="max")
    cohort_size = fields.Integer(
        string="Customers in Cohort", readonly=True, aggregator="max"
    )
    customer_count = fields.Integer(
        string="Customers Who Ordered", readonly=True, aggregator="sum"
    )
    retention = fields.Float(
        string="Share Who Ordered (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
    )
    as_of = fields.Datetime(
        string="As of",
        compute="_compute_as_of",
        help="The orders counted are those of the nightly run that started then.",
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS %s
                       ON %s (company_id, cohort_month, months_since)""",
                SQL.identifier(f"{self._table}_cell_uniq"),
                SQL.identifier(self._table),
            )
        )
        return res

    def _compute_as_of(self):
        as_of = self.env["repeat.sales.report.tables"]._refreshed_at()
        for row in self:
            row.as_of = as_of

    def _repeat_ratio_sql(self, fname, query):
        # The share of several cells is that of the customers they hold: the
        # cohorts pooled, a large cohort weighing more than a small one.
        if fname == "retention":
            return (
                SQL(
                    "100.0 * %s",
                    self._field_to_sql(self._table, "customer_count", query),
                ),
                self._field_to_sql(self._table, "cohort_size", query),
            )
        return ()
