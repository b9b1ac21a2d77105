# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class RepeatSalesLoyaltyTier(models.Model):
    """A level of a stamp program, reached by the customer's recent spend."""

    _name = "repeat.sales.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, min_spend, id"

    name = fields.Char(required=True, translate=True)
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

    @api.constrains("min_spend", "stamp_multiplier", "gift_value_limit", "program_id")
    def _check_thresholds(self):
        for program in self.program_id:
            tiers = program.repeat_tier_ids.sorted("min_spend")
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
                            "The tiers %(lower)s and %(higher)s of %(program)s start "
                            "at the same spend: each tier needs its own threshold.",
                            lower=lower.name,
                            higher=higher.name,
                            program=program.display_name,
                        )
                    )
            for tier in tiers:
                if tier.stamp_multiplier <= 0 or tier.gift_value_limit < 0:
                    raise ValidationError(
                        _(
                            "Tier %(tier)s: the stamp multiplier must be more than "
                            "zero and the gift value limit cannot be negative.",
                            tier=tier.name,
                        )
                    )
        self.gift_ids._check_repeat_gift_value()

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
