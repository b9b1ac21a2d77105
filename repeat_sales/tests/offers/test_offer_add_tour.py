# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from ... import compat
from ..common import TourCase


@tagged("post_install", "-at_install")
class TestOfferOnNewQuotation(TourCase):
    """A salesperson adds a suggested product to a quotation not saved yet."""

    def test_add_on_a_new_quotation(self):
        salesperson = self.env["res.users"].create(
            {
                "name": "Offer Seller",
                "login": "offer_seller",
                "password": "offer_seller",
                "email": "offer_seller@example.com",
                compat.USER_GROUPS: [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Offer Tiles", "is_company": True, "user_id": salesperson.id}
        )
        tiles, bathtub = self.env["product.product"].create(
            [{"name": "Floor tiles", "list_price": 30}, {"name": "Bathtub"}]
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesperson.id,
                "order_line": [Command.create({"product_id": tiles.id})],
            }
        )
        order.action_confirm()
        self.env["repeat.sales.offer.rule"].create(
            {"product_id": tiles.id, "target_product_id": bathtub.id, "delay_days": 0}
        )
        self.env["repeat.sales.offer"]._generate(fields.Date.today())
        offer = self.env["repeat.sales.offer"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(offer.product_id, bathtub)

        action = self.env.ref("sale.action_quotations_with_onboarding")
        self.start_tour(
            f"/odoo/action-{action.id}/new",
            "repeat_sales_offer_new_quotation",
            login="offer_seller",
        )
        quotation = self.env["sale.order"].search(
            [("partner_id", "=", customer.id), ("state", "=", "draft")]
        )
        self.assertEqual(quotation.order_line.product_id, bathtub)
        self.assertEqual(offer.state, "sent")
