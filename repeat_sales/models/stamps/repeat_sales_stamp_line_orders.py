# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# The model's code split by purpose (files of at most 400 lines).
# pylint: disable=consider-merging-classes-inherited
import math
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL, float_round

from ...after_commit import attempt_now, in_read_committed, run_after_commit
from .repeat_sales_stamp_line import CREDIT_DIGITS

# cr.precommit.data key: ids of orders whose amount changed in the transaction.
PENDING_ORDERS_KEY = "repeat_sales.stamp_orders"


class RepeatSalesStampLine(models.Model):
    """What orders are due on the ledger, posted once, without conflicts.

    ``_sync_orders`` brings each order's lines to what the order is due
    (earned credit, gifts) under a lock on the cards, so that a rerun, a cancel
    and a re-confirmation post exactly the difference. Inside a request it
    posts at once when the cards are free; when another transaction holds or
    just changed a card, what only adds stamps is posted right after the
    commit instead (``after_commit``), and what takes stamps away (a gift, a
    cancel) waits for the card, as it must read the exact balance.
    """

    _inherit = "repeat.sales.stamp.line"

    @api.model
    def _sync_orders(self, orders):
        """Post what ``orders`` are due and not yet posted; nothing on a rerun."""
        programs = self.env["loyalty.program"]._repeat_stamp_programs(orders.company_id)
        orders = orders.filtered(
            lambda order: order.company_id in programs and order.partner_id
        ).sorted("id")
        if not orders:
            return
        pairs = {
            (programs[order.company_id], order.partner_id.commercial_partner_id)
            for order in orders
        }
        Card = self.env["loyalty.card"]
        if in_read_committed(self.env):
            # After commit: wait for the cards, then everything committed is seen.
            self._post_due(orders, programs, Card._repeat_cards(pairs))
            return
        missing = self._missing(orders, programs)
        # An order still waiting for its after-commit post may hold lines this
        # transaction does not see yet: it is synced again after the commit.
        waiting = orders.filtered("repeat_stamps_pending")
        if not missing and not waiting:
            return
        if any(
            credit < 0 or any(change < 0 for change in gifts.values())
            for credit, gifts in missing.values()
        ):
            # Stamps taken away: the balance must be exact now, so wait for the
            # cards (a change committed meanwhile makes Odoo retry the request).
            self._post_due(orders, programs, Card._repeat_cards(pairs))
            return
        if not attempt_now(
            self.env,
            lambda: self._post_due(
                orders, programs, Card._repeat_cards(pairs, nowait=True)
            ),
        ):
            self._post_after_commit(orders.browse(missing) | waiting)
        elif waiting:
            self._post_after_commit(waiting)

    @api.model
    def _missing(self, orders, programs):
        """What each order is due and not posted, as this transaction sees it:
        ``{order: (credit change, {gift: stamps change})}``, changes only."""
        Facts = self.env["repeat.sales.order.facts"]
        posted = self._read_group(
            [("order_id", "in", orders.ids)],
            ["order_id", "reward_id"],
            ["credit:sum", "stamps:sum"],
        )
        done_credit = defaultdict(float)
        done_gifts = defaultdict(int)
        for order, reward, credit, stamps in posted:
            if reward:
                done_gifts[order, reward] += stamps
            else:
                done_credit[order] += credit
        refunded = orders._repeat_refunded_amounts()
        missing = {}
        for order in orders:
            program = programs[order.company_id]
            due_credit = 0.0
            due_gifts = defaultdict(int)
            if Facts._is_counted(order):
                amount = order._repeat_company_amount() - refunded.get(order, 0.0)
                due_credit = float_round(
                    max(amount, 0.0)
                    * (order.repeat_stamp_multiplier or 1.0)
                    / program.repeat_stamp_amount,
                    CREDIT_DIGITS,
                )
                for line in order.order_line.filtered("repeat_gift_id"):
                    due_gifts[line.repeat_gift_id] -= program.repeat_card_size
            credit = float_round(due_credit - done_credit[order], CREDIT_DIGITS)
            gifts = {
                reward: due_gifts[reward] - done_gifts[order, reward]
                for reward in set(due_gifts)
                | {reward for (o, reward) in done_gifts if o == order}
            }
            gifts = {reward: change for reward, change in gifts.items() if change}
            if credit or gifts:
                missing[order.id] = (credit, gifts)
        return missing

    @api.model
    def _post_due(self, orders, programs, card_list):
        """Post what ``orders`` miss, on their cards locked by the caller."""
        cards = {(card.program_id, card.partner_id): card for card in card_list}
        missing = self._missing(orders, programs)
        totals = self._card_credit(list(cards.values()))
        vals_list = []
        for order in orders.browse(missing):
            credit, gifts = missing[order.id]
            program = programs[order.company_id]
            card = cards[program, order.partner_id.commercial_partner_id]
            if credit:
                before = totals[card]
                totals[card] = float_round(before + credit, CREDIT_DIGITS)
                vals_list.append(
                    {
                        "card_id": card.id,
                        "order_id": order.id,
                        "kind": "earn" if credit > 0 else "reverse",
                        "credit": credit,
                        "stamps": self._whole(totals[card]) - self._whole(before),
                    }
                )
            for reward, change in gifts.items():
                vals_list.append(
                    {
                        "card_id": card.id,
                        "order_id": order.id,
                        "reward_id": reward.id,
                        "kind": "redeem" if change < 0 else "return",
                        "stamps": change,
                    }
                )
        # sudo: salespeople confirm orders but may not post stamps by hand.
        self.sudo().create(vals_list)
        card_list.sudo()._repeat_update_tiers()
        self._set_orders_pending(orders, False)

    # ------------------------------------------------------------------
    # After commit, and what a crash left
    # ------------------------------------------------------------------

    @api.model
    def _post_after_commit(self, orders):
        """Post what ``orders`` miss once this transaction has committed; they
        stay marked until then, for the nightly run if the process dies."""
        self._set_orders_pending(orders, True)
        run_after_commit(self.env, self._name, "_sync_pending_orders", orders.ids)

    @api.model
    def _sync_pending_orders(self, order_ids=None):
        """Sync these orders (``None``: every order still marked)."""
        # sudo: the ledger is kept for every order, whoever confirmed it.
        Order = self.env["sale.order"].sudo()
        if order_ids is None:
            orders = Order.search([("repeat_stamps_pending", "=", True)])
        else:
            orders = Order.browse(order_ids).exists()
        programs = self.env["loyalty.program"]._repeat_stamp_programs(orders.company_id)
        # Orders of a company without a stamp program any more earn nothing.
        self._set_orders_pending(
            orders.filtered(
                lambda order: order.company_id not in programs or not order.partner_id
            ),
            False,
        )
        # sudo: posted for whoever confirmed the orders (as ``_sync_orders``).
        self.sudo()._sync_orders(orders)

    @api.model
    def _set_orders_pending(self, orders, pending):
        """Mark or unmark orders as waiting for their post. A technical flag,
        written in SQL: the order's write date (read by the figures' daily
        run) must not move."""
        orders = orders.filtered(
            lambda order: bool(order.repeat_stamps_pending) != pending
        )
        if not orders:
            return
        self.env["sale.order"].flush_model(["repeat_stamps_pending"])
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET repeat_stamps_pending = %s WHERE id = ANY(%s)",
                pending,
                orders.ids,
            )
        )
        orders.invalidate_recordset(["repeat_stamps_pending"])

    # ------------------------------------------------------------------
    # Amount changes of confirmed orders
    # ------------------------------------------------------------------

    @api.model
    def _mark_orders_changed(self, orders):
        """Bring these orders' stamps in line with their amount before commit.

        Lines added to or removed from a confirmed order change what it earns;
        the difference is posted once per transaction, right before the commit.
        """
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(PENDING_ORDERS_KEY, set())
        if not pending:
            precommit.add(self._apply_pending_orders)
        pending.update(orders.ids)

    @api.model
    def _apply_pending_orders(self):
        pending = self.env.cr.precommit.data.pop(PENDING_ORDERS_KEY, set())
        # sudo: orders edited by whoever, read back only to keep the ledger.
        orders = self.env["sale.order"].sudo().browse(sorted(pending)).exists()
        confirmed = self.env["repeat.sales.order.facts"]._counted(orders)
        if confirmed:
            # sudo: the ledger is kept whoever edited the order.
            self.sudo()._sync_orders(confirmed)
            # Precommit hooks run after the ORM flush: flush what they wrote.
            self.env.flush_all()

    @staticmethod
    def _whole(credit):
        """Whole stamps in ``credit``, immune to float noise (0.9999999 → 1)."""
        return math.floor(float_round(credit, CREDIT_DIGITS) + 1e-9)

    @api.model
    def _card_credit(self, cards):
        """The total stamp credit of each card, as posted so far."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT card_id, SUM(credit) FROM repeat_sales_stamp_line "
                "WHERE card_id = ANY(%s) GROUP BY card_id",
                [card.id for card in cards],
            )
        )
        sums = dict(self.env.cr.fetchall())
        return {card: float(sums.get(card.id) or 0.0) for card in cards}
