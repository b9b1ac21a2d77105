# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo.fields import Command

from .common import RepeatSalesCommon


class RepeatSalesLoyaltyCommon(RepeatSalesCommon):
    """A stamp program: a stamp per 100, full card at 10, three tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["repeat.sales.stamp.line"]
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Stamps",
                "program_type": "loyalty",
                "applies_on": "future",
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                "repeat_card_size": 10,
                "repeat_expiry_months": 12,
                "rule_ids": [],
                "repeat_tier_ids": [
                    Command.create(
                        {"name": "Tier 1", "min_spend": 0, "gift_value_limit": 50}
                    ),
                    Command.create(
                        {"name": "Tier 2", "min_spend": 1000, "gift_value_limit": 150}
                    ),
                    Command.create(
                        {
                            "name": "Tier 3",
                            "min_spend": 3000,
                            "gift_value_limit": 500,
                            "stamp_multiplier": 2.0,
                        }
                    ),
                ],
            }
        )
        cls.tier1, cls.tier2, cls.tier3 = cls.program.repeat_tier_ids.sorted(
            "min_spend"
        )
        cls.mug, cls.lamp, cls.chair = cls.env["product.product"].create(
            [
                {"name": "Mug", "lst_price": 40.0},
                {"name": "Lamp", "lst_price": 120.0},
                {"name": "Chair", "lst_price": 400.0},
            ]
        )
        cls.program.reward_ids = [
            Command.clear(),
            *(
                Command.create(
                    {
                        "reward_type": "product",
                        "reward_product_id": product.id,
                        "required_points": 10,
                        "repeat_tier_id": tier.id,
                    }
                )
                for product, tier in (
                    (cls.mug, cls.tier1),
                    (cls.lamp, cls.tier2),
                    (cls.chair, cls.tier3),
                )
            ),
        ]
        cls.gift_mug, cls.gift_lamp, cls.gift_chair = cls.program.reward_ids.sorted(
            lambda reward: reward.repeat_tier_id.min_spend
        )

    @classmethod
    def _quotation(cls, partner, amount, company=None):
        company = company or cls.env.company
        return (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
        )

    @contextmanager
    def assertRefused(self, exception, message):
        """The block is refused (and rolled back) with ``message`` shown."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(message, str(caught.exception))

    def _card(self, partner=None):
        partner = partner or self.customer
        return self.env["loyalty.card"].search(
            [("program_id", "=", self.program.id), ("partner_id", "=", partner.id)]
        )

    def _balance(self, partner=None):
        """The stamps as the customer form shows them, checked against the ledger."""
        partner = partner or self.customer
        self.env.invalidate_all()
        card = self._card(partner)
        lines = self.Line.search([("partner_id", "=", partner.id)])
        self.assertEqual(card.points, sum(lines.mapped("stamps")))
        self.assertEqual(partner.repeat_stamp_balance, card.points)
        return partner.repeat_stamp_balance

    def _order_lines(self, order):
        """(kind, stamps) of the order's ledger lines, oldest first."""
        return [
            (line.kind, line.stamps)
            for line in self.Line.search([("order_id", "=", order.id)], order="id")
        ]

    def _give_stamps(self, stamps, partner=None):
        partner = partner or self.customer
        card = self.env["loyalty.card"]._repeat_cards([(self.program, partner)])
        self.Line.create(
            {"card_id": card.id, "stamps": stamps, "reason": "Opening balance"}
        )
        return card
