# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ... import compat

RULE_KINDS = [
    ("together", "Bought Together"),
    ("next", "Bought Next"),
    ("again", "Bought Again"),
    ("manual", "Manual"),
]
MINED_KINDS = ("together", "next", "again")


@compat.sql_constraints
class RepeatSalesOfferRule(models.Model):
    """What a customer is likely to buy after buying a product (or a category).

    Mined rules are written by ``repeat.sales.offer.mining`` in set-based SQL,
    one row per (company, kind, product, offered product), with their evidence;
    re-mining updates the evidence in place and never touches ``active``, so a
    rule a manager switched off stays off. Managers write manual rules (a
    product or a category, the product to offer and a delay) for a catalogue
    without history.
    """

    _name = "repeat.sales.offer.rule"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Offer Rule"
    _check_company_auto = True
    _repeat_ranges = {"delay_days": (None, 3650)}
    _order = "company_id, confidence desc, id"
    _rec_name = "target_product_id"

    active = fields.Boolean(
        default=True,
        help="Switched off rules give no offers; re-mining keeps them switched off.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    kind = fields.Selection(
        RULE_KINDS, required=True, default="manual", readonly=True, index=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Bought Product",
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer bought this product…",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Bought Category",
        ondelete="cascade",
        help="…or any product of this category (manual rules only).",
    )
    target_product_id = fields.Many2one(
        "product.product",
        string="Offered Product",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    delay_days = fields.Float(
        string="Typical Delay (Days)",
        digits=(16, 1),
        help="Median days between the purchase and the offered product's: the "
        "offer is due that many days after the customer's purchase.",
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    support = fields.Float(
        digits=(16, 6), readonly=True, help="Share of all orders holding both products."
    )
    confidence = fields.Float(
        digits=(16, 4),
        default=0.5,
        help="Share of the customers who bought the first product that bought "
        'the offered one (re-bought it, for "bought again"). Set by hand on '
        "manual rules.",
    )
    lift = fields.Float(
        digits=(16, 2),
        readonly=True,
        help="Confidence divided by the share of all customers (orders, for "
        '"bought together") that bought the offered product.',
    )
    delay_cv = fields.Float(
        string="Cycle Irregularity",
        digits=(16, 2),
        readonly=True,
        help='"Bought again": standard deviation of the days between purchases '
        "divided by their mean. 0 is a perfectly regular cycle.",
    )
    offer_ids = fields.One2many("repeat.sales.offer", "rule_id", readonly=True)

    _sql_constraints = [
        (
            "rule_uniq",
            "unique(company_id, kind, product_id, target_product_id)",
            "This rule exists already.",
        ),
    ]

    @api.constrains("kind", "product_id", "categ_id", "delay_days", "confidence")
    def _check_manual_rule(self):
        for rule in self.filtered(lambda rule: rule.kind == "manual"):
            if bool(rule.product_id) == bool(rule.categ_id):
                raise ValidationError(
                    _("A manual rule starts from a product or from a category.")
                )
            if rule.delay_days < 0 or not 0 < rule.confidence <= 1:
                raise ValidationError(
                    _(
                        "A manual rule needs a delay of zero days or more and a "
                        "confidence above 0 and at most 1."
                    )
                )

    @api.depends("kind", "product_id", "categ_id", "target_product_id")
    def _compute_display_name(self):
        for rule in self:
            bought = rule.product_id or rule.categ_id
            rule.display_name = _(
                "%(bought)s → %(product)s",
                bought=bought.display_name or "",
                product=rule.target_product_id.display_name or "",
            )

    @api.model
    def _cron_mine_rules(self):
        self.env["repeat.sales.offer.mining"]._mine()
