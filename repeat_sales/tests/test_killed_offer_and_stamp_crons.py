# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Offer and stamp scheduled actions killed (SIGKILL) half way, then rerun.

As in ``test_killed_crons``: committed data of the test only, a real ``odoo-bin
shell`` process killed once part of the work is written (not committed), a
normal rerun, then the database holds what one clean run gives, and a further
run changes nothing.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .odoo_processes import OdooProcessCase, pause_script


@tagged("post_install", "-at_install")
class TestKilledOfferAndStampCrons(OdooProcessCase):
    def _set_company(self, env, **values):
        """Write settings of the main company, written back at the end."""
        company = env.ref("base.main_company")
        previous = {name: company[name] for name in values}
        company.write(values)
        self.addCleanup(self._write_company, company.id, previous)
        return company

    def _write_company(self, company_id, values):
        with self.committed_env() as env:
            env["res.company"].browse(company_id).write(values)

    def test_offer_mining(self):
        """Thirteen customers; the evidence below is what they show.

        Six bought A with C, then B 30 days later; a seventh bought A only;
        six more bought D twice, 30 days apart.
        """
        with self.committed_env() as env:
            products = self._products(env, "A", "B", "C", "D")
            a, b, c, d = products
            company = self._set_company(
                env,
                repeat_offer_min_customers=5,
                repeat_offer_min_confidence=0.1,
                repeat_offer_min_lift=1.5,
                repeat_offer_window_days=180,
            )
            pairs, single, repeaters = (
                self._partners(env, 6),
                self._partners(env, 1),
                self._partners(env, 6),
            )
            self._orders(
                env,
                [(partner, 100, a | c) for partner in pairs]
                + [(partner, 70, b) for partner in pairs]
                + [(single, 100, a)]
                + [(partner, age, d) for partner in repeaters for age in (50, 20)],
            )
            company_id = company.id
        names = dict(zip(products.ids, "ABCD", strict=True))
        self.run_until_killed(
            pause_script("repeat.sales.offer.mining", "_store_rules")
            + f"env['repeat.sales.offer.mining']._mine(env['res.company']"
            f".browse({company_id}))\n"
            "env.cr.commit()\n"
        )

        def rules(env):
            found = (
                env["repeat.sales.offer.rule"]
                .with_context(active_test=False)
                .search(
                    [
                        "|",
                        ("product_id", "in", products.ids),
                        ("target_product_id", "in", products.ids),
                    ]
                )
            )
            return sorted(
                (
                    rule.kind,
                    names[rule.product_id.id],
                    names[rule.target_product_id.id],
                    rule.customer_count,
                    rule.order_count,
                    round(rule.confidence, 4),
                    rule.delay_days,
                    rule.delay_cv,
                    rule.active,
                )
                for rule in found
            )

        with self.committed_env() as env:
            self.assertEqual(rules(env), [], "the killed run wrote no rule")
            Mining = env["repeat.sales.offer.mining"]
            company = env["res.company"].browse(company_id)
            self.assertEqual(
                Mining._mine(company),
                {"together": (2, 0), "next": (2, 0), "again": (1, 0)},
                "what one clean run writes",
            )
        with self.committed_env() as env:
            self.assertEqual(
                rules(env),
                [
                    ("again", "D", "D", 6, 6, 1.0, 30.0, 0.0, True),
                    ("next", "A", "B", 6, 0, 0.8571, 30.0, 0.0, True),
                    ("next", "C", "B", 6, 0, 1.0, 30.0, 0.0, True),
                    ("together", "A", "C", 6, 6, 0.8571, 0.0, 0.0, True),
                    ("together", "C", "A", 6, 6, 1.0, 0.0, 0.0, True),
                ],
            )
            company = env["res.company"].browse(company_id)
            self.assertEqual(
                env["repeat.sales.offer.mining"]._mine(company),
                {"together": (0, 0), "next": (0, 0), "again": (0, 0)},
                "a further run writes and removes nothing",
            )

    def test_offer_generation(self):
        """Buying S calls for T ten days later.

        Three customers bought S ten days ago: due today. The first of them
        still holds an offer of T from a purchase 100 days ago, past its
        validity: it expires, and only then can the new one be proposed. A
        fourth customer bought S two days ago: not due yet.
        """
        with self.committed_env() as env:
            source, target = self._products(env, "S", "T")
            company = self._set_company(
                env, repeat_offer_lead_days=7, repeat_offer_validity_days=30
            )
            rule = env["repeat.sales.offer.rule"].create(
                {
                    "company_id": company.id,
                    "product_id": source.id,
                    "target_product_id": target.id,
                    "delay_days": 10,
                    "confidence": 0.5,
                }
            )
            due, early = self._partners(env, 3), self._partners(env, 1)
            self._orders(
                env,
                [(due[0], 100, source)]
                + [(partner, 10, source) for partner in due]
                + [(early, 2, source)],
            )
            today = fields.Date.context_today(rule)
            old = env["repeat.sales.offer"].create(
                {
                    "partner_id": due[0].id,
                    "company_id": company.id,
                    "product_id": target.id,
                    "rule_id": rule.id,
                    "kind": "manual",
                    "source_product_id": source.id,
                    "source_date": today - relativedelta(days=100),
                    "due_date": today - relativedelta(days=90),
                    "end_date": today - relativedelta(days=60),
                }
            )
            old_id, due_ids = old.id, due.ids
            partner_ids = (due | early).ids
        self.run_until_killed(
            pause_script("repeat.sales.offer", "_generate")
            + "env['repeat.sales.offer']._cron_update_offers()\n"
            "env.cr.commit()\n"
        )

        def offers(env):
            return sorted(
                (
                    offer.partner_id.id,
                    offer.product_id.id,
                    offer.source_date,
                    offer.state,
                )
                for offer in env["repeat.sales.offer"].search(
                    [("partner_id", "in", partner_ids)]
                )
            )

        before = [(due_ids[0], target.id, today - relativedelta(days=100), "proposed")]
        with self.committed_env() as env:
            self.assertEqual(offers(env), before, "nothing expired, nothing proposed")
            env["repeat.sales.offer"]._cron_update_offers()
        with self.committed_env() as env:
            self.assertEqual(env["repeat.sales.offer"].browse(old_id).state, "expired")
            self.assertEqual(
                offers(env),
                sorted(
                    [(due_ids[0], target.id, before[0][2], "expired")]
                    + [
                        (
                            partner_id,
                            target.id,
                            today - relativedelta(days=10),
                            "proposed",
                        )
                        for partner_id in due_ids
                    ]
                ),
            )
            Offer = env["repeat.sales.offer"]
            self.assertEqual(
                (Offer._expire(today), Offer._generate(today)),
                (0, 0),
                "a further run expires and proposes nothing",
            )

    def test_stamp_expiry(self):
        """Stamps live 12 months, used first in, first out.

        The first card has 8 old stamps, 3 recent ones and 2 used: 6 expire.
        The second has 5 old stamps: all expire. The third only recent ones.
        """
        today = fields.Date.context_today(self.env.user)
        with self.committed_env() as env:
            program = env["loyalty.program"].create(
                {
                    "name": f"Kill stamps {self.tag}",
                    "program_type": "loyalty",
                    "repeat_is_stamp_program": True,
                    "repeat_stamp_amount": 100.0,
                    "repeat_expiry_months": 12,
                    "repeat_tier_ids": [Command.create({"name": "Member"})],
                }
            )
            partners = self._partners(env, 3)
            self.addCleanup(self._delete_stamp_program, program.id)
            cards = env["loyalty.card"]._repeat_cards(
                [(program, partner) for partner in partners]
            )
            card_ids = [
                card.id for card in cards.sorted(lambda card: card.partner_id.id)
            ]
            env["repeat.sales.stamp.line"].create(
                [
                    {
                        "card_id": card_id,
                        "stamps": stamps,
                        "date": today - relativedelta(months=months),
                        "reason": "Opening balance" if stamps > 0 else "Gift",
                    }
                    for card_id, stamps, months in (
                        (card_ids[0], 8, 14),
                        (card_ids[0], 3, 1),
                        (card_ids[0], -2, 1),
                        (card_ids[1], 5, 13),
                        (card_ids[2], 4, 2),
                    )
                ]
            )
        self.run_until_killed(
            pause_script("repeat.sales.stamp.line", "_expire_stamps")
            + "env['repeat.sales.stamp.line']._cron_daily()\n"
            "env.cr.commit()\n"
        )

        def ledger(env):
            """Per card: its points, the sum of its lines and its expiry lines."""
            env.invalidate_all()
            cards = env["loyalty.card"].browse(card_ids)
            return [
                (
                    card.points,
                    sum(card.repeat_stamp_line_ids.mapped("stamps")),
                    [
                        (line.stamps, line.date)
                        for line in card.repeat_stamp_line_ids
                        if line.kind == "expire"
                    ],
                )
                for card in cards
            ]

        with self.committed_env() as env:
            self.assertEqual(ledger(env), [(9, 9, []), (5, 5, []), (4, 4, [])])
            env["repeat.sales.stamp.line"]._cron_daily()
        expected = [(3, 3, [(-6, today)]), (0, 0, [(-5, today)]), (4, 4, [])]
        with self.committed_env() as env:
            self.assertEqual(ledger(env), expected)
            env["repeat.sales.stamp.line"]._cron_daily()
        with self.committed_env() as env:
            self.assertEqual(ledger(env), expected, "a further run adds nothing")

    def _delete_stamp_program(self, program_id):
        """The program, its rewards, tiers, cards, ledger and reward products."""
        with self.committed_env() as env:
            program = env["loyalty.program"].browse(program_id)
            products = program.reward_ids.discount_line_product_id
            env["repeat.sales.stamp.line"].search(
                [("program_id", "=", program_id)]
            ).unlink()
            env["loyalty.card"].with_context(active_test=False).search(
                [("program_id", "=", program_id)]
            ).unlink()
            program.active = False
            program.unlink()
            products.unlink()
