# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from psycopg2.errors import UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...after_commit import lock_rows

# Context key: the ledger itself writes the points of a stamp card.
LEDGER_WRITE = "repeat_stamp_ledger_write"


class LoyaltyCard(models.Model):
    """A customer's stamp card: its balance is the sum of its ledger lines.

    ``points`` (Odoo's balance, shown by ``loyalty``) is only written from the
    ledger, under a row lock (``_repeat_lock``), so that two transactions posting
    stamps on one card never both read the same balance. Every post writes the
    card row, even when its points stay: a transaction that then takes the lock
    without a serialization failure knows that no post was committed since its
    snapshot, so the ledger it reads is whole.
    """

    _inherit = "loyalty.card"

    repeat_stamp_card = fields.Boolean(
        related="program_id.repeat_is_stamp_program", store=True
    )
    repeat_tier_id = fields.Many2one(
        "repeat.sales.loyalty.tier", string="Tier", readonly=True, index=True
    )
    repeat_window_spend = fields.Monetary(
        string="Spend in Tier Window",
        currency_field="currency_id",
        readonly=True,
    )
    repeat_stamp_line_ids = fields.One2many(
        "repeat.sales.stamp.line", "card_id", string="Stamp Ledger"
    )
    repeat_stamp_balance = fields.Integer(
        string="Stamps", compute="_compute_repeat_stamp_balance"
    )

    def init(self):
        res = super().init()
        # One stamp card per customer and program.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_repeat_stamp_uniq
                    ON loyalty_card (program_id, partner_id) WHERE repeat_stamp_card
                """
            )
        )
        return res

    @api.depends("repeat_stamp_line_ids.stamps")
    def _compute_repeat_stamp_balance(self):
        totals = dict(
            self.env["repeat.sales.stamp.line"]._read_group(
                [("card_id", "in", self.ids)], ["card_id"], ["stamps:sum"]
            )
        )
        for card in self:
            card.repeat_stamp_balance = totals.get(card, 0)

    def write(self, vals):
        if (
            "points" in vals
            and not self.env.context.get(LEDGER_WRITE)
            and any(self.mapped("repeat_stamp_card"))
        ):
            raise UserError(
                _(
                    "Stamp cards change only through their ledger: ask a sales "
                    "manager to post an adjustment with a reason."
                )
            )
        return super().write(vals)

    @api.model
    def _repeat_cards(self, pairs, send_mail=True, nowait=False):
        """The stamp cards of ``(program, partner)`` pairs, created when missing
        (one ``create``, Odoo's codes and communication), locked until commit.

        A card another transaction created after this one's snapshot makes the
        create fail on the unique index; that is turned into a serialization
        failure, which Odoo retries (the retry sees the card). With ``nowait``
        a card another transaction holds fails the lock at once (the caller
        posts after commit instead, see ``after_commit``).
        """
        pairs = {(program.id, partner.id) for program, partner in pairs}
        if not pairs:
            return self.browse()
        existing = self.with_context(active_test=False).search(
            [
                ("repeat_stamp_card", "=", True),
                ("program_id", "in", list({program for program, _p in pairs})),
                ("partner_id", "in", list({partner for _p, partner in pairs})),
            ]
        )
        found = {(card.program_id.id, card.partner_id.id) for card in existing}
        missing = sorted(pairs - found)
        cards = existing.filtered(
            lambda card: (card.program_id.id, card.partner_id.id) in pairs
        )
        if missing:
            cards |= self._repeat_create_cards(missing, send_mail)
        cards = cards.sorted("id")
        cards._repeat_lock(nowait=nowait)
        return cards

    @api.model
    def _repeat_create_cards(self, pairs, send_mail):
        vals_list = [
            {"program_id": program_id, "partner_id": partner_id, "points": 0}
            for program_id, partner_id in pairs
        ]
        ctx = {LEDGER_WRITE: True, "mail_create_nolog": True}
        if not send_mail:
            ctx["action_no_send_mail"] = True
        # A flushing savepoint would run the precommit hooks (the ledger's
        # own among them) in the middle of this one.
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                cards = self.with_context(**ctx).create(vals_list)
                cards.flush_recordset()
                return cards
        except UniqueViolation:
            self._repeat_raise_if_created_meanwhile(pairs)
            raise

    @api.model
    def _repeat_raise_if_created_meanwhile(self, pairs):
        """Raise PostgreSQL's serialization failure when one of these cards was
        committed by a transaction this one cannot see.

        An insert that would conflict with a row invisible to the snapshot is
        refused by PostgreSQL as a serialization failure under REPEATABLE READ,
        so Odoo retries the request; nothing is inserted otherwise (FALSE).
        """
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_card (program_id, partner_id, code,
                                          repeat_stamp_card)
                SELECT pair.program_id, pair.partner_id,
                       'probe-' || pair.program_id || '-' || pair.partner_id, TRUE
                  FROM unnest(%(program_ids)s::int[], %(partner_ids)s::int[])
                           AS pair(program_id, partner_id)
                ON CONFLICT (program_id, partner_id) WHERE repeat_stamp_card
                DO NOTHING
                RETURNING id
                """,
                program_ids=[program_id for program_id, _p in pairs],
                partner_ids=[partner_id for _p, partner_id in pairs],
            )
        )
        if self.env.cr.rowcount:
            # Not a concurrent card after all: undo the probe's rows.
            self.env.cr.execute(
                SQL(
                    "DELETE FROM loyalty_card WHERE id = ANY(%s)",
                    [card_id for (card_id,) in self.env.cr.fetchall()],
                )
            )

    def _repeat_lock(self, nowait=False):
        """Lock the cards until commit; a concurrent writer must wait or retry
        (with ``nowait``, a card held by another transaction fails at once)."""
        lock_rows(self.env.cr, SQL.identifier(self._table), self.ids, nowait=nowait)

    def _repeat_refresh_points(self):
        """Set each card's points to the sum of its ledger lines.

        Written through the ORM, so that the change is tracked on the card and
        the program's "when reaching" communications are sent by Odoo. Cards
        whose points stay are written too (their write date changes): the row
        tells every later lock that the ledger moved.
        """
        if not self:
            return
        self.env["repeat.sales.stamp.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT target.id, COALESCE(SUM(line.stamps), 0)
                  FROM unnest(%(ids)s::int[]) AS target(id)
             LEFT JOIN repeat_sales_stamp_line line ON line.card_id = target.id
              GROUP BY target.id
                """,
                ids=self.ids,
            )
        )
        balances = dict(self.env.cr.fetchall())
        overdrawn = self.filtered(lambda card: balances[card.id] < 0)
        if overdrawn:
            raise UserError(
                _(
                    "%(customers)s would have fewer than zero stamps: a gift costs "
                    "a full card, and stamps already given cannot be taken back "
                    "below zero.",
                    customers=", ".join(overdrawn.partner_id.mapped("display_name")),
                )
            )
        by_balance = defaultdict(lambda: self.browse())
        for card in self:
            by_balance[balances[card.id]] |= card
        for balance, cards in by_balance.items():
            cards.with_context(**{LEDGER_WRITE: True}).write({"points": balance})
        self.invalidate_recordset(["repeat_stamp_balance"])

    def _repeat_update_tiers(self, today=None):
        """Set each card's tier from its customer's spend over the window."""
        today = today or fields.Date.context_today(self)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.flush_recordset(["program_id", "partner_id", "company_id"])
        self.env["loyalty.program"].flush_model(["repeat_tier_window_months"])
        window_orders = self.env["repeat.sales.order.facts"]._orders_sql(
            partner_ids=SQL("card.partner_id"),
            company_ids=SQL("card.company_id"),
            date_from=SQL(
                """(%s::date - make_interval(
                        months => program.repeat_tier_window_months))::date""",
                today,
            ),
            date_to=today,
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id, COALESCE(SUM(facts.amount), 0)
                  FROM loyalty_card card
                  JOIN loyalty_program program ON program.id = card.program_id
             LEFT JOIN LATERAL (%(window_orders)s) facts ON TRUE
                 WHERE card.id = ANY(%(ids)s)
              GROUP BY card.id
                """,
                window_orders=window_orders,
                ids=self.ids,
            )
        )
        spends = {card_id: float(spend) for card_id, spend in self.env.cr.fetchall()}
        changed = self.browse()
        for card in self:
            tier = card.program_id._repeat_tier_for(spends[card.id])
            if card.repeat_window_spend != spends[card.id]:
                card.repeat_window_spend = spends[card.id]
            old_tier = card.repeat_tier_id
            if tier != old_tier:
                card.repeat_tier_id = tier
                card._repeat_announce_tier(old_tier, tier)
                changed |= card
        return changed

    def _repeat_announce_tier(self, old_tier, new_tier):
        self.ensure_one()
        if not old_tier:
            body = _(
                "Loyalty tier: %(tier)s (%(program)s).",
                tier=new_tier.name,
                program=self.program_id.name,
            )
        else:
            body = _(
                "Loyalty tier changed from %(old)s to %(new)s (%(program)s).",
                old=old_tier.name,
                new=new_tier.name,
                program=self.program_id.name,
            )
        self.partner_id.message_post(body=body)
        template = self.program_id.repeat_tier_template_id
        if template and old_tier and self.partner_id.email:
            template.send_mail(self.id)
