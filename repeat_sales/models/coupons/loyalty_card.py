# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date

# The record that gave a personal coupon, by model: each gives at most one
# (a unique index per field), so a rerun or a killed run never issues twice.
SOURCE_FIELDS = {
    "repeat.sales.followup": "repeat_followup_id",
    "repeat.sales.campaign.member": "repeat_campaign_member_id",
    "repeat.sales.call": "repeat_call_id",
}
COUPON_STATES = [("valid", "Valid"), ("used", "Used"), ("expired", "Expired")]


# pylint: disable=consider-merging-classes-inherited
class LoyaltyCard(models.Model):
    """A personal coupon of Odoo's loyalty, given by a follow-up step, a
    campaign or a call.

    The card is Odoo's own: its code, expiry and points are what the
    quotation's coupon flow (``sale.order._try_apply_code``) checks. The addon
    records which of its records gave it, to whom and for which salesperson,
    and says whether it is valid, used (a confirmed order took its reward) or
    expired.
    """

    _inherit = "loyalty.card"

    repeat_followup_id = fields.Many2one(
        "repeat.sales.followup",
        string="Given by Follow-up",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    repeat_campaign_member_id = fields.Many2one(
        "repeat.sales.campaign.member",
        string="Given by Campaign",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    repeat_call_id = fields.Many2one(
        "repeat.sales.call",
        string="Given on Call",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    repeat_step_id = fields.Many2one(
        related="repeat_followup_id.step_id", string="Follow-up Step"
    )
    repeat_campaign_id = fields.Many2one(
        related="repeat_campaign_member_id.campaign_id", string="Campaign"
    )
    repeat_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    repeat_company_id = fields.Many2one("res.company", readonly=True, index=True)
    repeat_issue_date = fields.Date(string="Given On", readonly=True)
    repeat_reward_line_ids = fields.One2many(
        "sale.order.line", "coupon_id", string="Order Lines Using It", readonly=True
    )
    repeat_coupon_state = fields.Selection(
        COUPON_STATES,
        string="Coupon State",
        compute="_compute_repeat_coupon_state",
        search="_search_repeat_coupon_state",
    )

    def init(self):
        res = super().init()
        for column in SOURCE_FIELDS.values():
            self.env.cr.execute(
                SQL(
                    """
                    CREATE UNIQUE INDEX IF NOT EXISTS %(index)s
                        ON loyalty_card (%(column)s) WHERE %(column)s IS NOT NULL
                    """,
                    index=SQL.identifier(f"loyalty_card_{column}_uniq"),
                    column=SQL.identifier(column),
                )
            )
        return res

    @api.depends("expiration_date", "repeat_reward_line_ids.order_id.state")
    def _compute_repeat_coupon_state(self):
        today = fields.Date.context_today(self)
        Facts = self.env["repeat.sales.order.facts"]
        for card in self:
            if any(Facts._is_counted(o) for o in card.repeat_reward_line_ids.order_id):
                card.repeat_coupon_state = "used"
            elif card.expiration_date and card.expiration_date < today:
                card.repeat_coupon_state = "expired"
            else:
                card.repeat_coupon_state = "valid"

    def _search_repeat_coupon_state(self, operator, value):
        if operator not in ("=", "in"):
            raise UserError(_("Filter coupons by their state with 'is' or 'in'."))
        states = [value] if operator == "=" else list(value)
        today = fields.Date.context_today(self)
        used_lines = [
            ("order_id", "any", self.env["repeat.sales.order.facts"]._counted_domain())
        ]
        not_used = [("repeat_reward_line_ids", "not any", used_lines)]
        by_state = {
            "used": [("repeat_reward_line_ids", "any", used_lines)],
            "expired": [*not_used, ("expiration_date", "<", today)],
            "valid": [
                *not_used,
                "|",
                ("expiration_date", "=", False),
                ("expiration_date", ">=", today),
            ],
        }
        domains = [by_state[state] for state in states if state in by_state]
        if not domains:
            return [(0, "=", 1)]
        return ["|"] * (len(domains) - 1) + [leaf for d in domains for leaf in d]

    @api.model
    def _repeat_valid_coupons(self, partners, companies):
        """The valid coupons (of Odoo's coupon programs, the addon's or not)
        of these customers, usable in these companies."""
        return self.search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("program_type", "=", "coupons"),
                ("program_id.active", "=", True),
                ("company_id", "in", [*companies.ids, False]),
                ("points", ">", 0),
                ("repeat_coupon_state", "=", "valid"),
            ],
            order="expiration_date, id",
        )

    # ------------------------------------------------------------------
    # Issuing: one card per source, in batch
    # ------------------------------------------------------------------

    @api.model
    def _repeat_issue_coupons(self, requests):
        """Give each outreach request carrying a ``coupon`` its personal card.

        ``requests`` are the outreach's (``partner``, ``company``, ``source``,
        ``user``, ``coupon``: {program, days}); the outreach only passes those
        it carries out. A source that already gave a card (a rerun) gets that
        card back; the others get a new one, all created at once through
        ``loyalty.card`` (Odoo's code generation), valid until today + days.
        Returns {(source model, source id): card}.
        """
        requests = [request for request in requests if request.get("coupon")]
        if not requests:
            return {}
        # sudo: Odoo lets salespeople read and write loyalty cards but not
        # create them; the addon gives coupons by its own rules to customers
        # the outreach lets it reach (the caller checked they can read them).
        Card = self.sudo().with_context(active_test=False)
        ids_by_field = {}
        for request in requests:
            source = request["source"]
            ids_by_field.setdefault(SOURCE_FIELDS[source._name], []).append(source.id)
        domain = ["|"] * (len(ids_by_field) - 1) + [
            (name, "in", ids) for name, ids in ids_by_field.items()
        ]
        cards = {}
        for card in Card.search(domain):
            for name in ids_by_field:
                if card[name]:
                    cards[card[name]._name, card[name].id] = card
        today = fields.Date.context_today(self)
        new_keys, vals_list = [], []
        for request in requests:
            source = request["source"]
            key = (source._name, source.id)
            if key in cards or key in new_keys:
                continue
            program = request["coupon"]["program"]
            new_keys.append(key)
            vals_list.append(
                {
                    "program_id": program.id,
                    "partner_id": request["partner"].id,
                    "points": min(
                        program.reward_ids.mapped("required_points"), default=1
                    ),
                    "expiration_date": today
                    + timedelta(days=request["coupon"]["days"]),
                    SOURCE_FIELDS[source._name]: source.id,
                    "repeat_user_id": request["user"].id,
                    "repeat_company_id": request["company"].id,
                    "repeat_issue_date": today,
                }
            )
        cards.update(zip(new_keys, Card.create(vals_list), strict=True))
        # sudo(False): the cards handed back without the issuing's sudo.
        return {key: card.sudo(False) for key, card in cards.items()}

    def _repeat_coupon_html(self, lang=None):
        """The coupon as the customer reads it: code, reward, minimum, expiry."""
        self.ensure_one()
        card = self.with_context(lang=lang) if lang else self
        env = card.env
        program = card.program_id
        reward = program.reward_ids[:1]
        minimum = max(program.rule_ids.mapped("minimum_amount"), default=0)
        text = env._(
            "Your personal coupon %(code)s: %(reward)s, valid until %(date)s.",
            code=card.code,
            reward=reward.description or program.name,
            date=format_date(env, card.expiration_date),
        )
        if minimum:
            text += " " + env._(
                "For an order of at least %(amount)s.",
                amount=format_amount(env, minimum, program.currency_id),
            )
        return Markup("<p><b>%s</b></p>") % text

    # ------------------------------------------------------------------
    # On a quotation: applied through Odoo's own coupon flow
    # ------------------------------------------------------------------

    def action_repeat_apply(self):
        """Apply this coupon to the quotation in the context, as Odoo's
        "Coupon Code" button does: its checks (expired, used, minimum order)
        refuse it with Odoo's message; a single reward is applied at once."""
        self.ensure_one()
        order = (
            self.env["sale.order"].browse(self.env.context.get("repeat_order_id"))
        ).exists()
        if not order:
            raise UserError(_("Open the quotation to apply the coupon to."))
        order.check_access("write")
        wizard = self.env["sale.loyalty.coupon.wizard"].create(
            {"order_id": order.id, "coupon_code": self.code}
        )
        wizard.action_apply()
        action = order.action_open_reward_wizard()
        if isinstance(action, dict):
            action["context"] = {"active_id": order.id}
        return action
