# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ...models.offers.repeat_sales_offer_rule import RULE_KINDS


class RepeatSalesOfferRuleReport(models.Model):
    """Each rule with the offers it gave and what they won: the best rules."""

    _name = "repeat.sales.offer.rule.report"
    _inherit = ["repeat.sales.report.mixin"]
    _description = "Offer Rule Analysis"
    _auto = False
    _order = "won_amount desc, won_count desc"
    _rec_name = "rule_id"
    _depends = {
        "repeat.sales.offer": ["rule_id", "state", "won_amount"],
        "repeat.sales.offer.rule": [
            "company_id",
            "kind",
            "product_id",
            "categ_id",
            "target_product_id",
            "confidence",
            "active",
        ],
    }

    rule_id = fields.Many2one("repeat.sales.offer.rule", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(RULE_KINDS, readonly=True)
    product_id = fields.Many2one(
        "product.product", string="Bought Product", readonly=True
    )
    categ_id = fields.Many2one(
        "product.category", string="Bought Category", readonly=True
    )
    target_product_id = fields.Many2one(
        "product.product", string="Offered Product", readonly=True
    )
    confidence = fields.Float(digits=(16, 4), readonly=True, aggregator="avg")
    offer_count = fields.Integer(string="Offers", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    expired_count = fields.Integer(string="Expired", readonly=True)
    win_rate = fields.Float(
        string="Win Rate (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Won offers per closed offer (won, declined or expired), in percent.",
    )
    closed_count = fields.Integer(
        string="Closed",
        readonly=True,
        help="Offers won, declined or expired.",
    )
    won_amount = fields.Monetary(string="Revenue Won", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _repeat_ratio_sql(self, fname, query):
        # Several rules together win the share of all their closed offers.
        if fname == "win_rate":
            return (
                SQL("100.0 * %s", self._field_to_sql(self._table, "won_count", query)),
                self._field_to_sql(self._table, "closed_count", query),
            )
        return ()

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT rule.id, rule.id AS rule_id, rule.company_id, rule.kind,
                   rule.product_id, rule.categ_id, rule.target_product_id,
                   rule.confidence,
                   COUNT(offer.id) AS offer_count,
                   COUNT(offer.id) FILTER (WHERE offer.state = 'won') AS won_count,
                   COUNT(offer.id) FILTER (WHERE offer.state = 'expired')
                       AS expired_count,
                   COUNT(offer.id) FILTER (
                       WHERE offer.state IN ('won', 'declined', 'expired'))
                       AS closed_count,
                   ROUND(100.0 * COUNT(offer.id) FILTER (WHERE offer.state = 'won')
                         / NULLIF(COUNT(offer.id) FILTER (
                               WHERE offer.state IN ('won', 'declined', 'expired')),
                                  0), 1) AS win_rate,
                   COALESCE(SUM(offer.won_amount), 0) AS won_amount
              FROM repeat_sales_offer_rule rule
              LEFT JOIN repeat_sales_offer offer ON offer.rule_id = rule.id
             WHERE rule.active
          GROUP BY rule.id
            """
        )
