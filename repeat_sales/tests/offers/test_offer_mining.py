# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from ...models.offers import mining_queries, repeat_sales_offer_mining
from ..offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestOfferMining(OfferCommon):
    def _evidence(self, rule):
        return (
            rule.customer_count,
            rule.order_count,
            round(rule.support, 4),
            round(rule.confidence, 4),
            round(rule.lift, 4),
            rule.delay_days,
        )

    def _together_history(self):
        customers = [self._customer(f"Shop {n}") for n in range(5)]
        self._buy(customers[0], 5, self.tiles, self.grout)
        self._buy(customers[1], 5, self.grout, self.tiles, self.grout)
        self._buy(customers[2], 5, self.tiles)
        self._buy(customers[3], 5, self.filler)
        self._buy(customers[4], 5, self.filler)

    def test_bought_together(self):
        """5 orders; tiles in 3, grout in 2, both in 2 (of 2 customers)."""
        self._together_history()
        self.Mining._mine()
        tiles_grout = self._mined("together", self.tiles, self.grout)
        # support 2/5, confidence 2/3, lift (2/3) / (2/5)
        self.assertEqual(self._evidence(tiles_grout), (2, 2, 0.4, 0.6667, 1.6667, 0))
        grout_tiles = self._mined("together", self.grout, self.tiles)
        self.assertEqual(self._evidence(grout_tiles), (2, 2, 0.4, 1.0, 1.6667, 0))
        self.assertFalse(self._mined("together", self.tiles, self.filler))
        self.assertFalse(self.Rule.search([("kind", "in", ("next", "again"))]))

    def test_planner_settings_are_restored_after_mining(self):
        settings = SQL(
            "SELECT current_setting('enable_nestloop'), current_setting('work_mem')"
        )
        self.env.cr.execute(settings)
        before = self.env.cr.fetchone()
        self._together_history()
        self.Mining._mine()
        self.env.cr.execute(settings)
        self.assertEqual(self.env.cr.fetchone(), before)
        self.assertEqual(before[0], "on")

    def test_thresholds_are_per_company(self):
        self._together_history()
        self.company.repeat_offer_min_customers = 3
        self.Mining._mine()
        self.assertFalse(self.Rule.search([]))
        self.company.write(
            {"repeat_offer_min_customers": 2, "repeat_offer_min_lift": 1.7}
        )
        self.Mining._mine()
        self.assertFalse(self.Rule.search([]))
        self.company.write(
            {"repeat_offer_min_lift": 1.0, "repeat_offer_min_confidence": 0.7}
        )
        self.Mining._mine()
        self.assertEqual(self.Rule.search([]).product_id, self.grout)

    def _next_history(self, company=None):
        first, second, third, fourth, fifth, sixth = (
            self._customer(f"Home {n}") for n in range(6)
        )
        for customer, tiles_day, bathtub_day in (
            (first, 100, 76),
            (second, 200, 170),
            (third, 50, 30),
        ):
            self._buy(customer, tiles_day, self.tiles, company=company)
            self._buy(customer, bathtub_day, self.bathtub, company=company)
        self._buy(fourth, 60, self.tiles, company=company)
        self._buy(fifth, 10, self.filler, company=company)
        self._buy(sixth, 20, self.bathtub, company=company)
        return sixth

    def test_bought_next(self):
        """6 customers; 4 bought tiles, 3 of them a bathtub 24, 30 and 20 days later.

        The sixth bought a bathtub without tiles: 4 of 6 bought a bathtub.
        """
        self._next_history()
        self.Mining._mine()
        rule = self._mined("next", self.tiles, self.bathtub)
        # confidence 3/4, lift (3/4) / (4/6), support 3/6, median of 20, 24, 30
        self.assertEqual(self._evidence(rule), (3, 0, 0.5, 0.75, 1.125, 24))
        # Ordered in time: nobody bought tiles after a bathtub.
        self.assertFalse(self._mined("next", self.bathtub, self.tiles))
        self.assertFalse(self.Rule.search([("kind", "=", "together")]))

    def test_bought_next_window(self):
        self._next_history()
        self.company.write(
            {"repeat_offer_window_days": 25, "repeat_offer_min_lift": 0.5}
        )
        self.Mining._mine()
        rule = self._mined("next", self.tiles, self.bathtub)
        # The 30-day purchase falls outside: 2 of 4, median of 20 and 24.
        self.assertEqual(self._evidence(rule), (2, 0, 0.3333, 0.5, 0.75, 22))

    def test_bought_next_window_is_the_company_own(self):
        """The same history in a second company, whose window is 25 days."""
        short_window = self.env["res.company"].create(
            {
                "name": "Short Window Tiles",
                "repeat_offer_min_customers": 2,
                "repeat_offer_min_confidence": 0.1,
                "repeat_offer_min_lift": 0.5,
                "repeat_offer_window_days": 25,
            }
        )
        self._next_history()
        self._next_history(company=short_window)
        self.Mining._mine()
        rules = self.Rule.search(
            [
                ("kind", "=", "next"),
                ("product_id", "=", self.tiles.id),
                ("target_product_id", "=", self.bathtub.id),
            ]
        )
        evidence = {rule.company_id: self._evidence(rule) for rule in rules}
        self.assertEqual(
            evidence,
            {
                self.company: (3, 0, 0.5, 0.75, 1.125, 24),
                short_window: (2, 0, 0.3333, 0.5, 0.75, 22),
            },
        )

    def test_large_orders_and_customers_count_their_first_products(self):
        """Capped here at 2 lines per order and 2 products per customer.

        Filler is the third line of each order: in no basket. The bathtub,
        bought 30 days after tiles and grout, is each customer's third product.
        """
        for name in ("Builder 1", "Builder 2"):
            customer = self._customer(name)
            self._buy(customer, 50, self.tiles, self.grout, self.filler)
            self._buy(customer, 20, self.bathtub)
        with (
            patch.object(repeat_sales_offer_mining, "MAX_BASKET_LINES", 2),
            patch.object(mining_queries, "MAX_CUSTOMER_PRODUCTS", 2),
        ):
            self.Mining._mine()
        self.assertEqual(
            self._evidence(self._mined("together", self.tiles, self.grout)),
            (2, 2, 0.5, 1.0, 2.0, 0),
        )
        self.assertFalse(self._mined("together", self.tiles, self.filler))
        self.assertFalse(self._mined("next", self.tiles, self.bathtub))
        # Without the caps, both show.
        self.Mining._mine()
        self.assertTrue(self._mined("together", self.tiles, self.filler))
        self.assertEqual(
            self._evidence(self._mined("next", self.tiles, self.bathtub)),
            (2, 0, 1.0, 1.0, 1.0, 30),
        )

    def test_bought_again(self):
        """Gaps of 30, 30 (first customer) and 40 days (second); a third bought once."""
        first, second, third = (self._customer(f"Office {n}") for n in range(3))
        for customer, days in ((first, 90), (first, 60), (first, 30), (second, 100)):
            self._buy(customer, days, self.filler)
        self._buy(second, 60, self.filler)
        self._buy(third, 10, self.filler)
        self.Mining._mine()
        rule = self._mined("again", self.filler, self.filler)
        self.assertEqual(rule.customer_count, 2)
        self.assertEqual(rule.order_count, 3, "three gaps between purchases")
        self.assertAlmostEqual(rule.confidence, 2 / 3, places=4)
        self.assertEqual(rule.delay_days, 30)
        # stddev 4.714 / mean 33.333
        self.assertAlmostEqual(rule.delay_cv, 0.1414, places=4)

    def test_remining_is_idempotent_and_keeps_flags(self):
        self._together_history()
        manual = self._rule(self.filler, self.bathtub)
        self.Mining._mine()
        rules = self.Rule.search([])
        evidence = {rule.id: self._evidence(rule) for rule in rules}
        self.assertEqual(len(rules), 3)
        switched_off = self._mined("together", self.grout, self.tiles)
        switched_off.active = False
        written, removed = self.Mining._mine()["together"]
        self.assertEqual((written, removed), (0, 0), "a rerun writes nothing")
        self.env.invalidate_all()
        all_rules = self.Rule.with_context(active_test=False).search([])
        self.assertEqual(all_rules, rules)
        self.assertEqual({r.id: self._evidence(r) for r in all_rules}, evidence)
        self.assertFalse(switched_off.active)
        # The orders stop showing the rules: the active one goes, the
        # switched-off one stays switched off, the manual one stays.
        self.company.repeat_offer_min_customers = 3
        self.Mining._mine()
        self.env.invalidate_all()
        self.assertEqual(
            self.Rule.with_context(active_test=False).search([]),
            manual | switched_off,
        )
        self.assertFalse(switched_off.active)
