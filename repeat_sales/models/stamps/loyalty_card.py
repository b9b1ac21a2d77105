# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine.repeat_sales_partner_stat import ORDER_AMOUNT


class LoyaltyCard(models.Model):
    """A customer's stamp card: its balance is the sum of its ledger lines.

    ``points`` (Odoo's balance, shown by ``loyalty``) is only written from the
    ledger, under a row lock (``_repeat_lock``), so that two transactions posting
    stamps on one card never both read the same balance.
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
        # One stamp card per customer and program; ``_repeat_cards`` inserts
        # with ON CONFLICT on this index.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_repeat_stamp_uniq
                    ON loyalty_card (program_id, partner_id) WHERE repeat_stamp_card
                """
            )
        )

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
        if "points" in vals and any(self.mapped("repeat_stamp_card")):
            raise UserError(
                _(
                    "Stamp cards change only through their ledger: ask a sales "
                    "manager to post an adjustment with a reason."
                )
            )
        return super().write(vals)

    @api.model
    def _repeat_cards(self, pairs):
        """The stamp cards of ``(program, partner)`` pairs, created when missing,
        locked until commit.

        The insert skips cards another transaction created meanwhile; under
        REPEATABLE READ PostgreSQL then raises a serialization failure, and
        Odoo retries the whole transaction, which then sees that card. (A plain
        ORM create would fail on the unique index instead, with no retry.)
        """
        pairs = sorted((program.id, partner.id) for program, partner in pairs)
        if not pairs:
            return self.browse()
        program_ids = [program_id for program_id, _partner_id in pairs]
        partner_ids = [partner_id for _program_id, partner_id in pairs]
        self.env["loyalty.program"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_card (program_id, company_id, partner_id, code,
                                          points, active, repeat_stamp_card,
                                          create_uid, create_date, write_uid,
                                          write_date)
                SELECT program.id, program.company_id, pair.partner_id,
                       '044' || substr(md5(random()::text || pair.partner_id), 1, 16),
                       0, TRUE, TRUE, %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(program_ids)s::int[], %(partner_ids)s::int[])
                           AS pair(program_id, partner_id)
                  JOIN loyalty_program program ON program.id = pair.program_id
                ON CONFLICT (program_id, partner_id) WHERE repeat_stamp_card
                DO NOTHING
                """,
                program_ids=program_ids,
                partner_ids=partner_ids,
                uid=self.env.uid,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id
                  FROM loyalty_card card
                  JOIN unnest(%(program_ids)s::int[], %(partner_ids)s::int[])
                           AS pair(program_id, partner_id)
                    ON card.program_id = pair.program_id
                   AND card.partner_id = pair.partner_id
                 WHERE card.repeat_stamp_card
              ORDER BY card.id
                   FOR NO KEY UPDATE OF card
                """,
                program_ids=program_ids,
                partner_ids=partner_ids,
            )
        )
        return self.browse(card_id for (card_id,) in self.env.cr.fetchall())

    def _repeat_lock(self):
        """Lock the cards until commit; a concurrent writer must wait or retry."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM loyalty_card WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE",
                    self.ids,
                )
            )

    def _repeat_refresh_points(self):
        """Set each card's points to the sum of its ledger lines."""
        if not self:
            return
        self.env["repeat.sales.stamp.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_card card
                   SET points = COALESCE(total.stamps, 0),
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%(ids)s::int[]) AS target(id)
             LEFT JOIN (SELECT card_id, SUM(stamps) AS stamps
                          FROM repeat_sales_stamp_line
                         WHERE card_id = ANY(%(ids)s)
                      GROUP BY card_id) total ON total.card_id = target.id
                 WHERE card.id = target.id
             RETURNING card.id, card.points
                """,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        balances = dict(self.env.cr.fetchall())
        self.invalidate_recordset(["points", "repeat_stamp_balance"])
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

    def _repeat_update_tiers(self, today=None):
        """Set each card's tier from its customer's spend over the window."""
        today = today or fields.Date.context_today(self)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["sale.order"].flush_model(
            [
                "state",
                "partner_id",
                "company_id",
                "date_order",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        self.flush_recordset(["program_id", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id,
                       COALESCE(SUM(%(amount)s), 0)
                  FROM loyalty_card card
                  JOIN loyalty_program program ON program.id = card.program_id
                  JOIN res_company company ON company.id = card.company_id
                  JOIN res_currency currency ON currency.id = company.currency_id
             LEFT JOIN res_partner buyer
                    ON buyer.commercial_partner_id = card.partner_id
             LEFT JOIN sale_order so
                    ON so.partner_id = buyer.id AND so.state = 'sale'
                   AND so.company_id = card.company_id
                   AND so.date_order >= %(today)s::date
                       - make_interval(months => program.repeat_tier_window_months)
                   AND so.date_order < %(end)s
                 WHERE card.id = ANY(%(ids)s)
              GROUP BY card.id
                """,
                today=today,
                end=today + relativedelta(days=1),
                ids=self.ids,
                amount=ORDER_AMOUNT,
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
