# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestOfferGeneration(OfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls._customer("Bath & Home", is_company=True)
        cls.contact = cls._customer("Ann", parent_id=cls.home.id)

    def _next_rule(self):
        """A mined-like "bought next" rule: 62% bought a bathtub 24 days later."""
        return self._rule(self.tiles, self.bathtub, kind="next")

    def test_offer_at_the_right_time(self):
        """Tiles bought 10 days ago, bathtub typically 24 days later: due in 14 days.

        The offer shows 7 days ahead (lead) and stays valid 30 days after.
        """
        rule = self._next_rule()
        self._buy(self.contact, 10, self.tiles)
        self.assertEqual(self.Offer._generate(self._day(6)), 0)
        self.assertEqual(self.Offer._generate(self._day(7)), 1)
        offer = self.Offer.search([])
        self.assertRecordValues(
            offer,
            [
                {
                    "partner_id": self.home.id,
                    "product_id": self.bathtub.id,
                    "rule_id": rule.id,
                    "source_product_id": self.tiles.id,
                    "source_date": self._day(-10),
                    "due_date": self._day(14),
                    "end_date": self._day(44),
                    "score": 62.0,
                    "state": "proposed",
                }
            ],
        )
        self.assertEqual(
            offer.reason,
            "62% of customers who bought Floor tiles bought Bathtub, "
            "typically 24 days later",
        )
        self.assertIn(offer, self.home.repeat_offer_ids)

    def test_not_after_the_validity(self):
        self._next_rule()
        self._buy(self.home, 60, self.tiles)
        # due 36 days ago, valid until 6 days ago
        self.assertEqual(self.Offer._generate(self.today), 0)
        self.assertEqual(self.Offer._generate(self._day(-6)), 1)

    def test_generation_is_idempotent(self):
        self._next_rule()
        self._buy(self.home, 20, self.tiles)
        self.assertEqual(self.Offer._generate(self.today), 1)
        self.assertEqual(self.Offer._generate(self.today), 0)
        offer = self.Offer.search([])
        offer.action_decline()
        self.assertEqual(self.Offer._generate(self.today), 0, "declined stays declined")
        # A new purchase of tiles gives a new offer.
        self._buy(self.home, 1, self.tiles)
        self.assertEqual(self.Offer._generate(self._day(20)), 1)

    def test_one_offer_per_product_best_score(self):
        self._next_rule()
        better = self._rule(self.grout, self.bathtub, confidence=0.9, delay_days=0)
        self._buy(self.home, 20, self.tiles, self.grout)
        self.Offer._generate(self.today)
        offer = self.Offer.search([])
        self.assertEqual(offer.rule_id, better)
        self.assertEqual(offer.score, 90.0)

    def test_never_offered(self):
        self._next_rule()
        archived = self._product("Old bathtub")
        unsaleable = self._product("Bathtub (internal)", sale_ok=False)
        other_company = self.env["res.company"].create({"name": "Other Tiles Inc"})
        foreign = self._product("Foreign bathtub", company_id=other_company.id)
        with self.assertRaises(UserError):
            self._rule(self.tiles, foreign)
        # A product that moves to another company after its rule was made.
        foreign.company_id = False
        for target in (archived, unsaleable, foreign):
            self._rule(self.tiles, target)
        foreign.company_id = other_company
        archived.action_archive()
        bought_since = self._customer("Bought since")
        self._buy(bought_since, 20, self.tiles)
        self._buy(bought_since, 3, self.bathtub)
        self._buy(self.home, 20, self.tiles)
        self.Offer._generate(self.today)
        offers = self.Offer.search([])
        self.assertEqual(offers.partner_id, self.home)
        self.assertEqual(offers.product_id, self.bathtub)

    def test_switched_off_rule_gives_nothing(self):
        self._next_rule().active = False
        self._buy(self.home, 20, self.tiles)
        self.assertEqual(self.Offer._generate(self.today), 0)

    def test_category_rule(self):
        """Anything of the Bathroom category (or below) calls for grout."""
        shower = self._product(
            "Shower",
            categ_id=self.env["product.category"]
            .create({"name": "Showers", "parent_id": self.bathroom.id})
            .id,
        )
        self.Rule.create(
            {
                "categ_id": self.bathroom.id,
                "target_product_id": self.grout.id,
                "delay_days": 3,
                "confidence": 0.4,
            }
        )
        self._buy(self.home, 30, self.bathtub)
        self._buy(self.home, 2, shower)
        self.Offer._generate(self.today)
        offer = self.Offer.search([])
        self.assertEqual(offer.source_product_id, shower)
        self.assertEqual(offer.due_date, self._day(1))
        self.assertEqual(
            offer.reason,
            f"Recommended 3 days after buying Shower (bought on "
            f"{offer.source_date.strftime('%m/%d/%Y')})",
        )

    def test_manual_rule_starts_from_a_product_or_a_category(self):
        with self.assertRaises(ValidationError):
            self._rule(self.tiles, self.grout, categ_id=self.bathroom.id)
        with self.assertRaises(ValidationError):
            self.Rule.create({"target_product_id": self.grout.id})
        with self.assertRaises(ValidationError):
            self._rule(self.tiles, self.grout, confidence=0)

    def test_bought_again_offer(self):
        self.Rule.create(
            {
                "kind": "again",
                "product_id": self.filler.id,
                "target_product_id": self.filler.id,
                "delay_days": 30,
                "confidence": 0.5,
                "delay_cv": 0.25,
            }
        )
        self._buy(self.home, 60, self.filler)
        self._buy(self.home, 25, self.filler)
        self.Offer._generate(self.today)
        offer = self.Offer.search([])
        self.assertEqual(offer.due_date, self._day(5))
        self.assertEqual(offer.score, 40.0, "50% weighted by 1 / (1 + 0.25)")
        self.assertIn("about every 30 days", offer.reason)
