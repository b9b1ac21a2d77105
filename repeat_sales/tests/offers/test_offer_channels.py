# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestOfferChannels(OfferCommon):
    """The customer's open offers reach the call dialog and the offer e-mail."""

    def setUp(self):
        super().setUp()
        self.home = self._customer("Offer Home", email="home@example.com")
        self._rule(self.tiles, self.bathtub, delay_days=10)
        self._buy(self.home, 12, self.tiles)
        self._commit_hooks()
        self.Offer._generate(self.today)
        self.offer = self.Offer.search([("partner_id", "=", self.home.id)])
        self.assertEqual(self.offer.product_id, self.bathtub)

    def test_call_dialog_lists_the_open_offers(self):
        call = self.env["repeat.sales.call"].new({"partner_id": self.home.id})
        self.assertEqual(call.customer_offer_ids.ids, self.offer.ids)
        self.offer.action_decline()
        call = self.env["repeat.sales.call"].new({"partner_id": self.home.id})
        self.assertFalse(call.customer_offer_ids)

    def test_offer_email_names_the_offered_products(self):
        template = self.env.ref("repeat_sales.mail_template_special_offer")
        body = template._render_field("body_html", self.home.ids)[self.home.id]
        self.assertIn("Chosen for you", body)
        self.assertIn("Bathtub", body)
        self.offer.action_decline()
        body = template._render_field("body_html", self.home.ids)[self.home.id]
        self.assertNotIn("Bathtub", body)
