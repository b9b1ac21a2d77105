# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .repeat_sales_value_check import TOP_BUCKET


class RepeatSalesValueCheckLine(models.TransientModel):
    """The customers of one calibration frequency of a model check: their
    actual and expected purchase days in the holdout."""

    _name = "repeat.sales.value.check.line"
    _description = "Customer Value Model Check Line"
    _order = "bucket"

    check_id = fields.Many2one(
        "repeat.sales.value.check", required=True, ondelete="cascade"
    )
    bucket = fields.Integer(
        string="Repeat Purchases Before",
        help="Repeat purchase days in the calibration period; the last line "
        "counts this many or more.",
    )
    name = fields.Char(string="Repeat Purchases", compute="_compute_name", store=True)
    customer_count = fields.Integer(string="Customers")
    actual_orders = fields.Integer(string="Actual Purchase Days")
    # full precision (the ORM rounds a float to its digits): the views round
    expected_orders = fields.Float(string="Expected Purchase Days")
    actual_mean = fields.Float(
        string="Actual per Customer",
        compute="_compute_means",
        aggregator=None,
    )
    expected_mean = fields.Float(
        string="Expected per Customer",
        compute="_compute_means",
        aggregator=None,
    )

    @api.depends("bucket")
    def _compute_name(self):
        for line in self:
            line.name = (
                f"{line.bucket}+" if line.bucket >= TOP_BUCKET else str(line.bucket)
            )

    @api.depends("customer_count", "actual_orders", "expected_orders")
    def _compute_means(self):
        for line in self:
            count = line.customer_count
            line.actual_mean = line.actual_orders / count if count else 0.0
            line.expected_mean = line.expected_orders / count if count else 0.0
