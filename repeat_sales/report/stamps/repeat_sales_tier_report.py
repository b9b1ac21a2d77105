# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RepeatSalesTierReport(models.Model):
    """Customers and their spend over the tier window, per tier."""

    _name = "repeat.sales.tier.report"
    _description = "Loyalty Tier Analysis"
    _auto = False
    _order = "spend desc"
    _depends = {
        "loyalty.card": [
            "repeat_stamp_card",
            "repeat_tier_id",
            "repeat_window_spend",
            "partner_id",
            "company_id",
            "points",
            "active",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    tier_id = fields.Many2one("repeat.sales.loyalty.tier", string="Tier", readonly=True)
    spend = fields.Monetary(
        string="Revenue in Tier Window",
        readonly=True,
        help="Untaxed, in company currency, over the program's tier window.",
    )
    stamps = fields.Integer(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT card.id, card.company_id, card.partner_id,
                   card.repeat_tier_id AS tier_id,
                   card.repeat_window_spend AS spend,
                   card.points::int AS stamps
              FROM loyalty_card card
             WHERE card.repeat_stamp_card AND card.active
            """
        )
