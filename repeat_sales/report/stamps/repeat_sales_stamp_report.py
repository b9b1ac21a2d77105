# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ...models.stamps.repeat_sales_stamp_line import STAMP_LINE_KINDS


class RepeatSalesStampReport(models.Model):
    """Stamps issued, redeemed and expired, and gifts given, per ledger line."""

    _name = "repeat.sales.stamp.report"
    _description = "Stamp Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "repeat.sales.stamp.line": [
            "date",
            "kind",
            "stamps",
            "card_id",
            "partner_id",
            "company_id",
            "order_id",
            "reward_id",
        ],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    gift_id = fields.Many2one("loyalty.reward", string="Gift", readonly=True)
    kind = fields.Selection(STAMP_LINE_KINDS, readonly=True)
    issued = fields.Integer(string="Stamps Issued", readonly=True)
    redeemed = fields.Integer(string="Stamps Redeemed", readonly=True)
    expired = fields.Integer(string="Stamps Expired", readonly=True)
    gift_count = fields.Integer(string="Gifts Given", readonly=True)

    @property
    def _table_query(self):
        # Reversals and returns count against what they undo, so a cancelled
        # order nets to zero in its month.
        return SQL(
            """
            SELECT line.id, line.date, line.company_id, line.partner_id,
                   line.order_id, line.reward_id AS gift_id, line.kind,
                   CASE WHEN line.kind IN ('earn', 'reverse', 'adjust')
                        THEN line.stamps ELSE 0 END AS issued,
                   CASE WHEN line.kind IN ('redeem', 'return')
                        THEN -line.stamps ELSE 0 END AS redeemed,
                   CASE WHEN line.kind = 'expire' THEN -line.stamps ELSE 0 END
                       AS expired,
                   CASE line.kind WHEN 'redeem' THEN 1 WHEN 'return' THEN -1
                        ELSE 0 END AS gift_count
              FROM repeat_sales_stamp_line line
            """
        )
