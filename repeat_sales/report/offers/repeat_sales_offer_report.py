# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ...models.offers.repeat_sales_offer import OFFER_STATES
from ...models.offers.repeat_sales_offer_rule import RULE_KINDS


class RepeatSalesOfferReport(models.Model):
    """Offers proposed, sent, won, declined and expired, with the revenue won."""

    _name = "repeat.sales.offer.report"
    _description = "Offer Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "offer_id"
    _depends = {
        "repeat.sales.offer": [
            "create_date",
            "company_id",
            "user_id",
            "partner_id",
            "product_id",
            "rule_id",
            "kind",
            "state",
            "won_amount",
        ],
    }

    offer_id = fields.Many2one("repeat.sales.offer", readonly=True)
    date = fields.Date(string="Proposed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one(
        "product.product", string="Offered Product", readonly=True
    )
    rule_id = fields.Many2one("repeat.sales.offer.rule", readonly=True)
    kind = fields.Selection(RULE_KINDS, readonly=True)
    state = fields.Selection(
        OFFER_STATES,
        readonly=True,
    )
    won_count = fields.Integer(string="Won", readonly=True)
    expired_count = fields.Integer(string="Expired", readonly=True)
    won_amount = fields.Monetary(string="Revenue Won", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT offer.id, offer.id AS offer_id,
                   (offer.create_date AT TIME ZONE 'UTC')::date AS date,
                   offer.company_id, offer.user_id, offer.partner_id,
                   offer.product_id, offer.rule_id, offer.kind, offer.state,
                   (offer.state = 'won')::integer AS won_count,
                   (offer.state = 'expired')::integer AS expired_count,
                   COALESCE(offer.won_amount, 0) AS won_amount
              FROM repeat_sales_offer offer
            """
        )
