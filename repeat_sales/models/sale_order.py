# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .engine.repeat_sales_partner_stat import CUSTOMER_SEGMENTS
from .offers.repeat_sales_offer import OPEN_STATES as OPEN_OFFER_STATES

# Order fields the customer figures are computed from.
FIGURE_SOURCES = {"state", "partner_id", "company_id", "date_order", "currency_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    repeat_segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        string="Customer Segment",
        compute="_compute_repeat_segment",
        groups="sales_team.group_sale_salesman",
    )
    repeat_order_rank = fields.Integer(
        string="Order Rank",
        compute="_compute_repeat_order_history",
        groups="sales_team.group_sale_salesman",
        help="1 for the customer's first confirmed order in this company, 2 for the "
        "second, and so on.",
    )
    repeat_reactivated = fields.Boolean(
        string="Reactivated a Sleeping Customer",
        compute="_compute_repeat_order_history",
        groups="sales_team.group_sale_salesman",
        help="The customer's previous confirmed order was older than the company's "
        "warm threshold when this order was placed.",
    )

    repeat_call_id = fields.Many2one(
        "repeat.sales.call",
        string="Won by Call",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The reached reactivation call this order is credited to.",
    )

    repeat_stamp_multiplier = fields.Float(
        string="Stamp Multiplier",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="The multiplier of the customer's tier when the order was confirmed.",
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
    repeat_offer_ids = fields.Many2many(
        "repeat.sales.offer",
        string="Suggested for this Customer",
        compute="_compute_repeat_offer_ids",
        groups="sales_team.group_sale_salesman",
        help="Open offers of the customer for products not on this order yet.",
    )

    def init(self):
        # The daily update reads the orders written since its last run.
        create_index(
            self.env.cr,
            "sale_order_repeat_sales_write_date_idx",
            self._table,
            ["write_date"],
        )

    @api.depends("partner_id", "company_id")
    def _compute_repeat_segment(self):
        self.repeat_segment = False
        for company, orders in (
            self.filtered("partner_id").grouped("company_id").items()
        ):
            for order in orders:
                # One env per company: its partners' figures compute in one batch.
                order.repeat_segment = order.partner_id.with_company(
                    company
                ).repeat_segment

    @api.depends("partner_id", "company_id", "order_line.product_id")
    def _compute_repeat_offer_ids(self):
        offers = self.env["repeat.sales.offer"].search(
            [
                ("state", "in", ("proposed", "sent")),
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_customer = offers.grouped(lambda offer: (offer.partner_id, offer.company_id))
        for order in self:
            customer = (order.partner_id.commercial_partner_id, order.company_id)
            open_offers = by_customer.get(customer, offers.browse())
            order.repeat_offer_ids = open_offers.filtered(
                lambda offer, order=order: (
                    offer.product_id not in order.order_line.product_id
                )
            )

    @api.depends("state", "partner_id", "company_id", "date_order")
    def _compute_repeat_order_history(self):
        self.repeat_order_rank = 0
        self.repeat_reactivated = False
        confirmed = self.filtered(lambda order: order.state == "sale" and order.id)
        if not confirmed:
            return
        self.flush_model(["state", "partner_id", "company_id", "date_order"])
        self.env.cr.execute(
            SQL(
                """
                SELECT ranked.id, ranked.rank,
                       ranked.order_date - ranked.previous_date
                           > company.repeat_warm_days
                  FROM (
                    SELECT so.id, so.company_id, so.date_order::date AS order_date,
                           ROW_NUMBER() OVER customer_orders AS rank,
                           LAG(so.date_order::date) OVER customer_orders
                               AS previous_date
                      FROM sale_order so
                      JOIN res_partner customer ON customer.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND customer.commercial_partner_id = ANY(%(partner_ids)s)
                    WINDOW customer_orders AS (
                        PARTITION BY customer.commercial_partner_id, so.company_id
                        ORDER BY so.date_order, so.id)
                  ) ranked
                  JOIN res_company company ON company.id = ranked.company_id
                 WHERE ranked.id = ANY(%(order_ids)s)
                """,
                partner_ids=confirmed.partner_id.commercial_partner_id.ids,
                order_ids=confirmed.ids,
            )
        )
        for order_id, rank, reactivated in self.env.cr.fetchall():
            order = self.browse(order_id)
            order.repeat_order_rank = rank
            order.repeat_reactivated = bool(reactivated)

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

    def _repeat_company_amount(self):
        """The untaxed amount in company currency, as the engine counts it."""
        self.ensure_one()
        return self.company_id.currency_id.round(
            self.amount_untaxed / (self.currency_rate or 1.0)
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

    # ------------------------------------------------------------------
    # Keep the customer figures in line with the orders
    # ------------------------------------------------------------------

    def action_repeat_sales_log_call(self):
        self.ensure_one()
        return self.partner_id.action_repeat_sales_log_call()

    def _repeat_sales_mark_changed(self):
        confirmed = self.filtered(lambda order: order.state == "sale" and order.id)
        if confirmed:
            self.env["repeat.sales.partner.stat"]._mark_partners_changed(
                confirmed.partner_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._repeat_sales_mark_changed()
        return orders

    def write(self, vals):
        sources_change = FIGURE_SOURCES & vals.keys()
        if sources_change:
            self._repeat_sales_mark_changed()
        result = super().write(vals)
        if sources_change:
            self._repeat_sales_mark_changed()
        return result

    def unlink(self):
        self._repeat_sales_mark_changed()
        return super().unlink()

    def _action_confirm(self):
        result = super()._action_confirm()
        work = self._repeat_confirmation_work()
        if work["plans"]:
            # sudo: the customer's open follow-ups may belong to other
            # salespeople; the order ends them whoever confirms it.
            self.env["repeat.sales.followup"].sudo()._end_plans(self)
        if work["calls"]:
            # sudo: calls and reminders of other salespeople count too.
            self.env["repeat.sales.call"].sudo()._on_orders_confirmed(self)
        if work["offers"]:
            # sudo: offers of the customer may belong to another salesperson;
            # the order wins them whoever confirms it.
            self.env["repeat.sales.offer"].sudo()._win_from_orders(self)
        if work["stamps"]:
            self._repeat_set_stamp_multiplier()
            self._repeat_sync_stamps()
        return result

    def _repeat_confirmation_work(self):
        """Which of the addon's records confirming these orders may change.

        One query instead of a search per kind (each of which also reads the
        customers' partner rows): most orders come from customers without an
        open follow-up, call or offer, or from a company without a stamp
        program. Each answer covers at least what its step would find.
        """
        self.flush_model(["partner_id", "company_id"])
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "repeat_lost_date"]
        )
        self.env["repeat.sales.followup"].flush_model(
            ["partner_id", "company_id", "state"]
        )
        self.env["mail.activity"].flush_model(["repeat_followup_id"])
        self.env["repeat.sales.call"].flush_model(
            ["partner_id", "company_id", "active"]
        )
        self.env["repeat.sales.offer"].flush_model(
            ["partner_id", "company_id", "state"]
        )
        self.env["loyalty.program"].flush_model(
            ["company_id", "active", "repeat_is_stamp_program"]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH scope AS (
                    SELECT ARRAY_AGG(DISTINCT customer.commercial_partner_id)
                               AS partner_ids,
                           ARRAY_AGG(DISTINCT so.company_id) AS company_ids
                      FROM sale_order so
                      JOIN res_partner customer ON customer.id = so.partner_id
                     WHERE so.id = ANY(%(order_ids)s)
                )
                SELECT EXISTS (
                           SELECT FROM res_partner partner, unnest(scope.company_ids)
                                       AS company(id)
                            WHERE partner.id = ANY(scope.partner_ids)
                              AND partner.repeat_lost_date ->> company.id::text
                                  IS NOT NULL)
                       OR EXISTS (
                           SELECT FROM repeat_sales_followup followup
                            WHERE followup.partner_id = ANY(scope.partner_ids)
                              AND followup.company_id = ANY(scope.company_ids)
                              AND (followup.state = 'pending' OR EXISTS (
                                  SELECT FROM mail_activity activity
                                   WHERE activity.repeat_followup_id = followup.id))),
                       EXISTS (
                           SELECT FROM repeat_sales_call call
                            WHERE call.partner_id = ANY(scope.partner_ids)
                              AND call.company_id = ANY(scope.company_ids)
                              AND call.active),
                       EXISTS (
                           SELECT FROM repeat_sales_offer offer
                            WHERE offer.partner_id = ANY(scope.partner_ids)
                              AND offer.company_id = ANY(scope.company_ids)
                              AND offer.state IN %(open_offer)s),
                       EXISTS (
                           SELECT FROM loyalty_program program
                            WHERE program.company_id = ANY(scope.company_ids)
                              AND program.repeat_is_stamp_program
                              AND program.active)
                  FROM scope
                """,
                order_ids=self.ids,
                open_offer=OPEN_OFFER_STATES,
            )
        )
        row = self.env.cr.fetchone()
        return dict(zip(("plans", "calls", "offers", "stamps"), row, strict=True))

    def _get_update_prices_lines(self):
        return (
            super()
            ._get_update_prices_lines()
            .filtered(lambda line: not line.repeat_gift_id)
        )

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

    def _action_cancel(self):
        result = super()._action_cancel()
        self._repeat_sync_stamps()
        return result

    def _compute_amounts(self):
        result = super()._compute_amounts()
        # Line changes on a confirmed order reach the figures through its amount.
        self._repeat_sales_mark_changed()
        confirmed = self.filtered(lambda order: order.state == "sale" and order.id)
        if confirmed:
            self.env["repeat.sales.stamp.line"]._mark_orders_changed(confirmed)
        return result
