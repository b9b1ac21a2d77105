# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part reacting to orders: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index


class SaleOrder(models.Model):
    """Stamps of confirmed orders: the tier's multiplier, the card, the gifts."""

    _inherit = "sale.order"

    repeat_stamp_multiplier = fields.Float(
        string="Stamp Multiplier",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="The multiplier of the customer's tier when the order was confirmed.",
    )
    repeat_stamps_pending = fields.Boolean(
        string="Stamps to Post",
        readonly=True,
        copy=False,
        help="The order's stamps are posted right after its confirmation was "
        "committed (another transaction held the card); the nightly run posts "
        "them if that did not happen.",
    )
    repeat_loyalty_tier_id = fields.Many2one(
        "repeat.sales.loyalty.tier",
        string="Loyalty Tier",
        compute="_compute_repeat_stamp_card",
        groups="sales_team.group_sale_salesman",
    )
    repeat_stamp_balance = fields.Integer(
        string="Stamps",
        compute="_compute_repeat_stamp_card",
        groups="sales_team.group_sale_salesman",
        help="The customer's stamps now, before this order's gifts are deducted.",
    )

    def init(self):
        result = super().init()
        # The nightly run looks for the few orders still waiting for stamps.
        create_index(
            self.env.cr,
            "sale_order_repeat_stamps_pending_idx",
            self._table,
            ["id"],
            where="repeat_stamps_pending",
        )
        return result

    @api.depends("partner_id", "company_id")
    def _compute_repeat_stamp_card(self):
        cards = self.env["loyalty.card"].search(
            [
                ("repeat_stamp_card", "=", True),
                ("program_id.active", "=", True),
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
            ]
        )
        by_key = {(card.partner_id, card.company_id): card for card in cards}
        for order in self:
            card = by_key.get(
                (order.partner_id.commercial_partner_id, order.company_id),
                cards.browse(),
            )
            order.repeat_loyalty_tier_id = card.repeat_tier_id
            order.repeat_stamp_balance = card.repeat_stamp_balance

    def _get_program_domain(self):
        # Stamp programs earn through the stamp ledger, not sale_loyalty's points.
        return [*super()._get_program_domain(), ("repeat_is_stamp_program", "=", False)]

    def _get_trigger_domain(self):
        return [
            *super()._get_trigger_domain(),
            ("program_id.repeat_is_stamp_program", "=", False),
        ]

    def action_repeat_sales_choose_gift(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Choose a Gift"),
            "res_model": "repeat.sales.gift.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _get_update_prices_lines(self):
        return (
            super()
            ._get_update_prices_lines()
            .filtered(lambda line: not line.repeat_gift_id)
        )

    def _repeat_refunded_amounts(self):
        """Untaxed amount of posted credit notes per order, in company currency."""
        refund_lines = self.env["account.move.line"].search(
            [
                ("sale_line_ids.order_id", "in", self.ids),
                ("move_id.move_type", "=", "out_refund"),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
            ]
        )
        amounts = defaultdict(float)
        for line in refund_lines:
            for order in line.sale_line_ids.order_id & self:
                amounts[order] += line.balance
        return amounts

    def _repeat_sync_stamps(self):
        # sudo: cards and ledger are written for whoever confirms or cancels.
        self.env["repeat.sales.stamp.line"].sudo()._sync_orders(self.sudo())

    def _repeat_set_stamp_multiplier(self):
        # sudo: the customer's card decides the multiplier, whoever confirms.
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("repeat_stamp_card", "=", True),
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        multipliers = {
            (card.partner_id, card.company_id): card.repeat_tier_id.stamp_multiplier
            for card in cards
        }
        for order in self:
            key = (order.partner_id.commercial_partner_id, order.company_id)
            order.repeat_stamp_multiplier = multipliers.get(key) or 1.0

    def _repeat_confirmation_checks(self):
        self.env["loyalty.program"].flush_model(
            ["company_id", "active", "repeat_is_stamp_program"]
        )
        return {
            **super()._repeat_confirmation_checks(),
            "stamps": SQL(
                """EXISTS (
                       SELECT FROM loyalty_program program
                        WHERE program.company_id = ANY(scope.company_ids)
                          AND program.repeat_is_stamp_program
                          AND program.active)"""
            ),
        }

    def _repeat_on_confirmed(self, work):
        result = super()._repeat_on_confirmed(work)
        if work.get("stamps"):
            self._repeat_set_stamp_multiplier()
            self._repeat_sync_stamps()
        return result

    def _repeat_on_cancelled(self):
        result = super()._repeat_on_cancelled()
        self._repeat_sync_stamps()
        return result

    def _repeat_on_amounts_changed(self):
        result = super()._repeat_on_amounts_changed()
        confirmed = self.env["repeat.sales.order.facts"]._counted(self)
        if confirmed:
            self.env["repeat.sales.stamp.line"]._mark_orders_changed(confirmed)
        return result
