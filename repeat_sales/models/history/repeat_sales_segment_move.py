# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ... import compat
from ..engine.repeat_sales_partner_stat import (
    CUSTOMER_SEGMENTS,
    SEGMENTS,
    segments_in_order,
)


class RepeatSalesSegmentMove(models.Model):
    """Customers who went from one segment to another between two snapshot days.

    Sleeping → hot is a reactivation; warm → sleeping, a customer lost to sleep;
    never → hot, a new customer.
    """

    _name = "repeat.sales.segment.move"
    _description = "Customer Segment Move"
    _order = "date desc, company_id"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True)
    previous_date = fields.Date(string="Since", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The salesperson's sales team on the day.",
    )
    from_segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        required=True,
        readonly=True,
        group_expand=segments_in_order,
    )
    to_segment = fields.Selection(
        SEGMENTS, required=True, readonly=True, group_expand=segments_in_order
    )
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")

    def init(self):
        compat.create_unique_index(
            self.env.cr,
            "repeat_sales_segment_move_day_uniq",
            self._table,
            [
                "date",
                "company_id",
                "COALESCE(user_id, 0)",
                "from_segment",
                "to_segment",
            ],
        )
