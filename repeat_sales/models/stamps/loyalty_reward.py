# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyReward(models.Model):
    """A product reward of a stamp program is a gift of one tier's level."""

    _inherit = "loyalty.reward"

    repeat_tier_id = fields.Many2one(
        "repeat.sales.loyalty.tier",
        string="Gift Level",
        index="btree_not_null",
        domain="[('program_id', '=', program_id)]",
        help="Customers of this tier and the higher ones may choose this gift for "
        "a full stamp card.",
    )
    repeat_gift_value = fields.Monetary(
        string="Gift Value", compute="_compute_repeat_gift_value"
    )

    @api.depends("reward_product_id.lst_price", "reward_product_qty")
    def _compute_repeat_gift_value(self):
        for reward in self:
            reward.repeat_gift_value = (
                reward.reward_product_id.lst_price * reward.reward_product_qty
            )

    @api.constrains("repeat_tier_id", "reward_product_id", "reward_product_qty")
    def _check_repeat_gift_value(self):
        for gift in self.filtered("repeat_tier_id"):
            tier = gift.repeat_tier_id
            if gift.program_id != tier.program_id:
                raise ValidationError(
                    _(
                        "The gift %(gift)s belongs to another program than its tier "
                        "%(tier)s.",
                        gift=gift.description,
                        tier=tier.name,
                    )
                )
            if gift.reward_type != "product":
                raise ValidationError(
                    _(
                        "Only a free product can be a tier gift (%(gift)s).",
                        gift=gift.description,
                    )
                )
            if (
                tier.currency_id.compare_amounts(
                    gift.repeat_gift_value, tier.gift_value_limit
                )
                > 0
            ):
                raise ValidationError(
                    _(
                        "The gift %(gift)s is worth %(value)s, more than the "
                        "%(limit)s allowed for tier %(tier)s.",
                        gift=gift.description,
                        value=gift.repeat_gift_value,
                        limit=tier.gift_value_limit,
                        tier=tier.name,
                    )
                )
