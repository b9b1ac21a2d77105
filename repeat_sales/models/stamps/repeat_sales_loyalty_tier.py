# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# A tier earns at most this many times the base stamps.
MAX_STAMP_MULTIPLIER = 10


class RepeatSalesLoyaltyTier(models.Model):
    """A level of a stamp program, reached by the customer's recent spend."""

    _name = "repeat.sales.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, sequence, min_spend, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        string="Level",
        default=10,
        help="Tiers go up in this order (then in the order they were created); "
        "each level needs a higher spend than the one below.",
    )
    program_id = fields.Many2one(
        "loyalty.program",
        string="Stamp Program",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("repeat_is_stamp_program", "=", True)],
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="program_id.currency_id")
    min_spend = fields.Monetary(
        string="From Spend",
        help="Untaxed spend over the program's tier window (company currency) from "
        "which a customer is in this tier.",
    )
    stamp_multiplier = fields.Float(
        default=1.0,
        digits=(16, 2),
        help="Orders of customers in this tier earn this many times the stamps.",
    )
    gift_value_limit = fields.Monetary(
        help="The gifts of this tier's level may be worth at most this much.",
    )
    gift_ids = fields.One2many("loyalty.reward", "repeat_tier_id", string="Gifts")

    @api.constrains(
        "min_spend", "stamp_multiplier", "gift_value_limit", "program_id", "sequence"
    )
    def _check_thresholds(self):
        for program in self.program_id:
            tiers = program.repeat_tier_ids.sorted(
                lambda tier: (tier.sequence, tier.id)
            )
            if not tiers:
                continue
            currency = program.currency_id
            if not currency.is_zero(tiers[0].min_spend):
                raise ValidationError(
                    _(
                        "The first tier of %(program)s must start at 0, not at "
                        "%(amount)s.",
                        program=program.display_name,
                        amount=tiers[0].min_spend,
                    )
                )
            for lower, higher in zip(tiers, tiers[1:], strict=False):
                if currency.compare_amounts(lower.min_spend, higher.min_spend) >= 0:
                    raise ValidationError(
                        _(
                            "Tier %(higher)s of %(program)s starts at %(high)s, not "
                            "above tier %(lower)s below it (%(low)s): each level "
                            "needs a higher spend than the one below.",
                            lower=lower.name,
                            higher=higher.name,
                            low=lower.min_spend,
                            high=higher.min_spend,
                            program=program.display_name,
                        )
                    )
            for tier in tiers:
                if not 0 < tier.stamp_multiplier <= MAX_STAMP_MULTIPLIER:
                    raise ValidationError(
                        _(
                            "Tier %(tier)s: the stamp multiplier must be more than 0 "
                            "and at most %(max)s (it is %(value)s).",
                            tier=tier.name,
                            max=MAX_STAMP_MULTIPLIER,
                            value=tier.stamp_multiplier,
                        )
                    )
                if tier.gift_value_limit < 0:
                    raise ValidationError(
                        _(
                            "Tier %(tier)s: the gift value limit cannot be negative.",
                            tier=tier.name,
                        )
                    )
        self.gift_ids._check_repeat_gift_value()

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers.program_id._repeat_retier_cards()
        return tiers

    def write(self, vals):
        programs = self.program_id
        result = super().write(vals)
        if {"min_spend", "sequence", "program_id"} & set(vals):
            (programs | self.program_id)._repeat_retier_cards()
        return result

    def _allowed_gifts(self):
        """Gifts a customer of this tier may choose: its level and the lower ones."""
        self.ensure_one()
        return self.program_id.reward_ids.filtered(
            lambda gift: (
                gift.repeat_tier_id
                and gift.reward_type == "product"
                and gift.repeat_tier_id.min_spend <= self.min_spend
            )
        )
