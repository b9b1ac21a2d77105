# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ... import compat

STAMP_LINE_KINDS = [
    ("earn", "Earned"),
    ("reverse", "Reversed"),
    ("redeem", "Redeemed"),
    ("return", "Returned"),
    ("expire", "Expired"),
    ("adjust", "Manual Adjustment"),
]
# Kinds posted by ``_sync_orders`` for an order: such a line needs its order.
ORDER_KINDS = ("earn", "reverse", "redeem", "return")
# Stamp credit (fractional stamps) is kept to this many decimals.
CREDIT_DIGITS = 4


@compat.sql_constraints
class RepeatSalesStampLine(models.Model):
    """The stamp ledger: a card's balance is the sum of its lines.

    Lines are never written nor deleted: a correction is a new line. Orders do
    not post their own stamps; ``_sync_orders`` brings each order's lines to what
    the order is due (earned credit, gifts) under a lock on the cards, so that a
    rerun, a cancel and a re-confirmation post exactly the difference.
    """

    _name = "repeat.sales.stamp.line"
    _description = "Stamp Ledger Line"
    _order = "date desc, id desc"
    _rec_name = "kind"

    card_id = fields.Many2one(
        "loyalty.card",
        string="Card",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("repeat_stamp_card", "=", True)],
    )
    partner_id = fields.Many2one(
        related="card_id.partner_id", string="Customer", store=True, index=True
    )
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(STAMP_LINE_KINDS, required=True, default="adjust")
    stamps = fields.Integer(required=True)
    credit = fields.Float(
        string="Stamp Credit",
        digits=(16, CREDIT_DIGITS),
        help="The order value this line counts, in stamps (0.4 = 40% of a stamp); "
        "the card's stamps earned are the whole part of its total credit.",
    )
    order_id = fields.Many2one(
        "sale.order", string="Order", index="btree_not_null", ondelete="restrict"
    )
    reward_id = fields.Many2one("loyalty.reward", string="Gift", ondelete="restrict")
    reason = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Posted By", default=lambda self: self.env.user
    )

    history_id = fields.Many2one(
        "loyalty.history",
        string="Loyalty History",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="This movement as Odoo's loyalty history shows it to the customer.",
    )

    _sql_constraints = [
        (
            "history_unique",
            "UNIQUE(history_id)",
            "A loyalty history entry belongs to one stamp movement.",
        )
    ]

    @api.constrains("kind", "reason", "stamps", "order_id")
    def _check_cause(self):
        for line in self:
            if line.kind in ORDER_KINDS and not line.order_id:
                raise ValidationError(
                    _(
                        "Stamps earned, reversed, redeemed or returned come from an "
                        "order: choose the order, or post a manual adjustment with "
                        "a reason."
                    )
                )
            if line.kind == "expire" and not (line.reason or "").strip():
                raise ValidationError(
                    _("Expired stamps need a reason, such as their lifetime.")
                )
            if line.kind == "adjust" and (
                not (line.reason or "").strip() or not line.stamps
            ):
                raise ValidationError(
                    _(
                        "A manual stamp adjustment needs a number of stamps and a "
                        "reason; it cannot be zero."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        cards = self.env["loyalty.card"].browse(
            [vals["card_id"] for vals in vals_list if vals.get("card_id")]
        )
        # Manual adjustments lock their cards too (``_sync_orders`` already did).
        cards.sudo()._repeat_lock()  # sudo: a row lock, no data is read or written
        vals_list = [dict(vals) for vals in vals_list]
        histories = self._create_history(vals_list)
        for vals, history in zip(vals_list, histories, strict=True):
            vals["history_id"] = history.id
        lines = super().create(vals_list)
        lines.card_id.sudo()._repeat_refresh_points()  # sudo: points mirror ledger
        return lines

    @api.model
    def _create_history(self, vals_list):
        """One ``loyalty.history`` row per new line: the customer's loyalty
        history shows every movement of the ledger, linked to its order."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        # sudo: names for the history text, whoever may post the line.
        orders = (
            self.env["sale.order"]
            .sudo()
            .browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        )
        # sudo: the gift's name, likewise.
        rewards = (
            self.env["loyalty.reward"]
            .sudo()
            .browse({vals["reward_id"] for vals in vals_list if vals.get("reward_id")})
        )
        history_list = []
        for vals in vals_list:
            order = orders.browse(vals.get("order_id"))
            reward = rewards.browse(vals.get("reward_id"))
            stamps = vals.get("stamps") or 0
            cause = " ".join(
                part
                for part in (
                    order.name,
                    reward.description,
                    vals.get("reason"),
                )
                if part
            )
            kind = kinds[vals.get("kind") or "adjust"]
            history_list.append(
                {
                    "card_id": vals.get("card_id"),
                    "description": f"{kind}: {cause}" if cause else kind,
                    "issued": max(stamps, 0),
                    "used": max(-stamps, 0),
                    "order_model": "sale.order" if order else False,
                    "order_id": order.id,
                }
            )
        # sudo: the history mirrors lines the user may post; Odoo gives no
        # right on loyalty.history to users without sale_loyalty's groups.
        return self.env["loyalty.history"].sudo().create(history_list)

    # ------------------------------------------------------------------
    # Daily run: expiry and tiers
    # ------------------------------------------------------------------

    @api.model
    def _cron_daily(self):
        today = fields.Date.context_today(self)
        # Orders a crash left between their commit and their after-commit post.
        self._sync_pending_orders()
        self._expire_stamps(today)
        cards = self.env["loyalty.card"].search([("repeat_stamp_card", "=", True)])
        cards._repeat_update_tiers(today)

    @api.model
    def _expire_stamps(self, today):
        """Expire the stamps earned before the lifetime and not used since.

        Stamps are used first in, first out: of the stamps a card got up to the
        cutoff, those not matched by all its removals (redemptions, reversals,
        expiries, negative adjustments) expire. Once expired they count as a
        removal, so a rerun finds nothing more to expire.
        """
        cards = self.env["loyalty.card"].search(
            [
                ("repeat_stamp_card", "=", True),
                ("program_id.repeat_expiry_months", ">", 0),
            ]
        )
        cards._repeat_lock()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.card_id, program.repeat_expiry_months,
                       COALESCE(SUM(line.stamps) FILTER (
                           WHERE line.stamps > 0
                             AND line.date <= %(today)s::date - make_interval(
                                 months => program.repeat_expiry_months)), 0)
                       + COALESCE(SUM(line.stamps) FILTER (WHERE line.stamps < 0), 0)
                  FROM repeat_sales_stamp_line line
                  JOIN loyalty_card card ON card.id = line.card_id
                  JOIN loyalty_program program ON program.id = card.program_id
                 WHERE line.card_id = ANY(%(ids)s)
              GROUP BY line.card_id, program.repeat_expiry_months
                """,
                today=today,
                ids=cards.ids,
            )
        )
        vals_list = [
            {
                "card_id": card_id,
                "kind": "expire",
                "stamps": -unused,
                "date": today,
                "reason": self.env._("Unused for %(months)s months", months=months),
            }
            for card_id, months, unused in self.env.cr.fetchall()
            if unused > 0
        ]
        return self.create(vals_list)
