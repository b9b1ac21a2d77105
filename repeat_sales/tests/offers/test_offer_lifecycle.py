# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestOfferLifecycle(OfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls._customer("Bath & Home", is_company=True)
        cls.contact = cls._customer("Ann", parent_id=cls.home.id)

    def _offer(self, product, end_in_days, **values):
        return self.Offer.create(
            {
                "partner_id": self.home.id,
                "company_id": self.company.id,
                "product_id": product.id,
                "kind": "next",
                "source_product_id": self.tiles.id,
                "source_date": self._day(-30),
                "due_date": self._day(-5),
                "end_date": self._day(end_in_days),
                "confidence": 0.5,
                "delay_days": 25,
                **values,
            }
        )

    def test_won_on_its_last_day(self):
        offer = self._offer(self.bathtub, 0)
        order = self._buy(self.contact, 0, self.bathtub, self.grout)
        self.assertRecordValues(
            offer, [{"state": "won", "won_order_id": order.id, "won_amount": 10.0}]
        )

    def test_not_won_after_its_last_day(self):
        offer = self._offer(self.bathtub, -1)
        self._buy(self.contact, 0, self.bathtub)
        self.assertEqual(offer.state, "proposed")
        self.assertEqual(self.Offer._expire(self.today), 1)
        self.assertEqual(offer.state, "expired")

    def test_not_won_by_another_product_or_customer(self):
        offer = self._offer(self.bathtub, 10)
        self._buy(self.contact, 0, self.grout)
        self._buy(self._customer("Someone else"), 0, self.bathtub)
        self.assertEqual(offer.state, "proposed")

    def test_expires_the_day_after_its_end(self):
        offer = self._offer(self.bathtub, 0)
        self.assertEqual(self.Offer._expire(self.today), 0)
        self.assertEqual(offer.state, "proposed")
        self.Offer._expire(self._day(1))
        self.assertEqual(offer.state, "expired")
        self.Offer._cron_update_offers()
        self.assertEqual(offer.state, "expired")

    def test_one_click_add_from_the_quotation(self):
        bathtub = self._offer(self.bathtub, 10)
        grout = self._offer(self.grout, 10)
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": self.grout.id})],
            }
        )
        self.assertEqual(
            quotation.repeat_offer_ids, bathtub, "grout is on the quotation already"
        )
        bathtub.with_context(repeat_sales_order_id=quotation.id).action_add_to_order()
        self.assertEqual(quotation.order_line.product_id, self.grout | self.bathtub)
        self.assertEqual(bathtub.state, "sent")
        self.assertFalse(quotation.repeat_offer_ids)
        quotation.action_confirm()
        self.assertEqual((bathtub.state, grout.state), ("won", "won"))
        self.assertEqual(bathtub.won_order_id, quotation)
        with self.assertRaises(UserError):
            self._offer(self.filler, 10).with_context(
                repeat_sales_order_id=quotation.id
            ).action_add_to_order()

    def test_quotation_shows_the_add_button(self):
        arch = self.env["sale.order"].get_view(view_type="form")["arch"]
        self.assertIn('name="action_add_to_order"', arch)
        self.assertIn("Suggested for this Customer", arch)

    def test_reports(self):
        rule = self._rule(self.tiles, self.bathtub)
        won = self._offer(self.bathtub, 10, rule_id=rule.id)
        expired = self._offer(self.grout, -1, rule_id=rule.id)
        self._offer(self.filler, 10)
        self._buy(self.contact, 0, self.bathtub)
        self.Offer._expire(self.today)
        self.env.flush_all()
        rows = self.env["repeat.sales.offer.report"]._read_group(
            [], ["state"], ["__count", "won_amount:sum"]
        )
        self.assertEqual(
            sorted(rows), [("expired", 1, 0.0), ("proposed", 1, 0.0), ("won", 1, 10.0)]
        )
        best = self.env["repeat.sales.offer.rule.report"].search([])
        self.assertRecordValues(
            best,
            [
                {
                    "rule_id": rule.id,
                    "offer_count": 2,
                    "won_count": 1,
                    "expired_count": 1,
                    "win_rate": 50.0,
                    "won_amount": 10.0,
                }
            ],
        )
        self.assertEqual((won.state, expired.state), ("won", "expired"))
        # A second rule, 0 won of 3 closed: together 1 won of 5 closed (20%),
        # not the mean of 50% and 0%.
        other = self._rule(self.tiles, self.grout)
        for product in (self.grout, self.bathtub, self.tiles):
            self._offer(product, -1, rule_id=other.id)
        self.Offer._expire(self.today)
        self.env.flush_all()
        [total] = self.env["repeat.sales.offer.rule.report"].read_group(
            [], ["win_rate:avg"], []
        )
        self.assertAlmostEqual(total["win_rate"], 20.0)
