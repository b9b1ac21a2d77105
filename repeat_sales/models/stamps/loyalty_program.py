# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

# The key of the stamp card in Odoo's program templates.
STAMP_TEMPLATE = "repeat_stamp_card"


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

    # ------------------------------------------------------------------
    # A new stamp program: its own defaults and template
    # ------------------------------------------------------------------

    @api.model
    def _repeat_stamp_default_values(self):
        """What a stamp program holds instead of Odoo's loyalty defaults: no
        point rule (orders earn through the stamp ledger) and no discount."""
        loyalty = self._program_type_default_values()["loyalty"]
        return {
            # Odoo's card e-mail at creation stays, as for its loyalty cards.
            "communication_plan_ids": loyalty["communication_plan_ids"],
            "applies_on": "future",
            "trigger": "auto",
            "portal_visible": True,
            "portal_point_name": _("Stamp(s)"),
            "rule_ids": [Command.clear()],
            # Odoo wants a reward: a free product for a full card, as its own
            # fidelity card gives.
            "reward_ids": [
                Command.clear(),
                Command.create(
                    {
                        "reward_type": "product",
                        "reward_product_id": self._repeat_default_gift().id,
                        "required_points": 10,
                    }
                ),
            ],
        }

    @api.model
    def _repeat_default_gift(self):
        return self.env["product.product"].search(
            [
                ("company_id", "in", [False, self.env.company.id]),
                ("sale_ok", "=", True),
            ],
            limit=1,
        )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if defaults.get("repeat_is_stamp_program"):
            defaults.update(
                (key, value)
                for key, value in self._repeat_stamp_default_values().items()
                if key in fields_list
            )
        return defaults

    @api.depends("program_type", "repeat_is_stamp_program")
    def _compute_from_program_type(self):
        stamp_programs = self.filtered("repeat_is_stamp_program")
        result = super(
            LoyaltyProgram, self - stamp_programs
        )._compute_from_program_type()
        if stamp_programs:
            stamp_programs.write(self._repeat_stamp_default_values())
        return result

    @api.model
    def get_program_templates(self):
        templates = super().get_program_templates()
        if self.env.context.get("menu_type") == "gift_ewallet":
            return templates
        stamp_card = {
            STAMP_TEMPLATE: {
                "title": _("Stamp Card"),
                "description": _(
                    "A stamp per amount spent, tiers by recent spend, a gift for a "
                    "full card"
                ),
                "icon": "loyalty_cards",
            }
        }
        if self.env.context.get("default_repeat_is_stamp_program"):
            return stamp_card
        return {**templates, **stamp_card}

    @api.model
    def _get_template_values(self):
        values = super()._get_template_values()
        gift = self._repeat_default_gift()
        values[STAMP_TEMPLATE] = {
            "name": _("Stamp Card"),
            "program_type": "loyalty",
            "repeat_is_stamp_program": True,
            **self._repeat_stamp_default_values(),
            "repeat_tier_ids": [
                Command.create(
                    {
                        "name": _("Member"),
                        "min_spend": 0.0,
                        "gift_value_limit": gift.lst_price,
                    }
                )
            ],
        }
        return values

    @api.model
    def create_from_template(self, template_id):
        action = super().create_from_template(template_id)
        if template_id == STAMP_TEMPLATE and action:
            program = self.browse(action["res_id"])
            # The template's gift is a gift of its only tier.
            program.reward_ids.repeat_tier_id = program.repeat_tier_ids[:1]
        return action

    # ------------------------------------------------------------------
    # Cards ahead: the tier a customer's history gives, from the first order
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        programs = super().create(vals_list)
        programs._repeat_cards_ahead()
        return programs

    def write(self, vals):
        result = super().write(vals)
        if {"active", "repeat_is_stamp_program", "company_id"} & set(vals):
            self._repeat_cards_ahead()
        return result

    def _repeat_cards_ahead(self):
        """A card, in the tier its history gives, for every customer who has
        bought from the program's company: the first order under the program
        earns at that tier's rate, and confirmations find the card made."""
        programs = self.filtered(
            lambda program: program.active and program.repeat_is_stamp_program
        )
        if not programs:
            return
        # sudo: the program's customers are all the company's buyers.
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    *self.env["repeat.sales.order.facts"]._counted_domain(),
                    ("company_id", "in", programs.company_id.ids),
                    ("partner_id", "!=", False),
                ],
                ["company_id", "partner_id"],
            )
        )
        by_company = {program.company_id: program for program in programs}
        pairs = {
            (by_company[company], partner.commercial_partner_id)
            for company, partner in groups
        }
        # sudo: cards are made for every customer, whoever creates the program.
        cards = self.env["loyalty.card"].sudo()._repeat_cards(pairs, send_mail=False)
        cards._repeat_update_tiers()

    def _repeat_retier_cards(self):
        """Tiers changed: move the programs' cards to the tier they now reach."""
        # sudo: every customer's card follows the program's tiers.
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("program_id", "in", self.ids), ("repeat_stamp_card", "=", True)])
        )
        cards._repeat_update_tiers()

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
