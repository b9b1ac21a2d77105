# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    """A loyalty program that counts stamps on confirmed orders.

    A stamp program is an ordinary ``loyalty`` program (its cards, rewards and
    portal stay Odoo's) that ``repeat_sales`` runs instead of ``sale_loyalty``:
    stamps are posted to the ledger (``repeat.sales.stamp.line``) and the gifts
    are its product rewards, one level per tier.
    """

    _inherit = "loyalty.program"

    repeat_is_stamp_program = fields.Boolean(
        string="Stamp Program",
        help="Orders earn stamps on this program's cards through the stamp ledger; "
        "Odoo's own point rules do not apply to it.",
    )
    repeat_stamp_amount = fields.Monetary(
        string="Amount per Stamp",
        default=100.0,
        help="One stamp per this untaxed amount of confirmed orders; what is left "
        "over counts towards the next order.",
    )
    repeat_card_size = fields.Integer(
        string="Stamps per Full Card",
        default=10,
        help="A gift costs a full card.",
    )
    repeat_tier_window_months = fields.Integer(
        string="Tier Window (Months)",
        default=12,
        help="Tiers follow the customer's spend over this many past months.",
    )
    repeat_expiry_months = fields.Integer(
        string="Stamps Expire After (Months)",
        default=24,
        help="Unused stamps expire this many months after they were earned; 0 means "
        "they never expire.",
    )
    repeat_tier_ids = fields.One2many(
        "repeat.sales.loyalty.tier", "program_id", string="Tiers"
    )
    repeat_tier_template_id = fields.Many2one(
        "mail.template",
        string="Tier Change E-mail",
        domain=[("model", "=", "loyalty.card")],
        default=lambda self: self.env.ref(
            "repeat_sales.mail_template_tier_change", raise_if_not_found=False
        ),
        help="Sent to the customer when their tier changes; leave empty to only "
        "post the change in the chatter.",
    )

    @api.constrains(
        "repeat_is_stamp_program",
        "repeat_stamp_amount",
        "repeat_card_size",
        "repeat_tier_window_months",
        "repeat_expiry_months",
    )
    def _check_repeat_stamp_settings(self):
        for program in self.filtered("repeat_is_stamp_program"):
            if program.currency_id.compare_amounts(program.repeat_stamp_amount, 0) <= 0:
                raise ValidationError(
                    _(
                        "The amount per stamp of %(program)s must be more than zero.",
                        program=program.display_name,
                    )
                )
            if program.repeat_card_size < 1 or program.repeat_tier_window_months < 1:
                raise ValidationError(
                    _(
                        "%(program)s: a full card and the tier window must each be "
                        "at least 1.",
                        program=program.display_name,
                    )
                )
            if program.repeat_expiry_months < 0:
                raise ValidationError(
                    _(
                        "%(program)s: the stamps' lifetime cannot be negative.",
                        program=program.display_name,
                    )
                )

    @api.constrains("repeat_is_stamp_program", "company_id", "active")
    def _check_one_stamp_program(self):
        stamp_programs = self.filtered("repeat_is_stamp_program")
        if not stamp_programs:
            return
        counts = self._read_group(
            [
                ("repeat_is_stamp_program", "=", True),
                ("company_id", "in", stamp_programs.company_id.ids),
            ],
            ["company_id"],
            ["__count"],
        )
        for company, count in counts:
            if count > 1:
                raise ValidationError(
                    _(
                        "%(company)s already has a stamp program: a company has one.",
                        company=company.display_name,
                    )
                )

    @api.model
    def _repeat_stamp_programs(self, companies):
        """The active stamp program of each of ``companies``, by company."""
        programs = self.search(
            [
                ("repeat_is_stamp_program", "=", True),
                ("company_id", "in", companies.ids),
            ]
        )
        return {program.company_id: program for program in programs}

    def _repeat_tier_for(self, spend):
        """The highest tier whose threshold ``spend`` reaches."""
        self.ensure_one()
        tiers = self.repeat_tier_ids.sorted("min_spend")
        reached = tiers.filtered(
            lambda tier: self.currency_id.compare_amounts(spend, tier.min_spend) >= 0
        )
        return reached[-1:] if reached else tiers[:1]
