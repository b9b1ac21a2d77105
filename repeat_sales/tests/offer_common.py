# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.fields import Command

from .common import RepeatSalesCommon


class OfferCommon(RepeatSalesCommon):
    """Products and hand-built purchase histories for the offer tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["repeat.sales.offer.rule"]
        cls.Offer = cls.env["repeat.sales.offer"]
        cls.Mining = cls.env["repeat.sales.offer.mining"]
        cls.company.write(
            {
                "repeat_offer_min_customers": 2,
                "repeat_offer_min_confidence": 0.1,
                "repeat_offer_min_lift": 1.0,
                "repeat_offer_window_days": 180,
                "repeat_offer_lead_days": 7,
                "repeat_offer_validity_days": 30,
            }
        )
        cls.bathroom = cls.env["product.category"].create({"name": "Bathroom"})
        cls.tiles = cls._product("Floor tiles")
        cls.bathtub = cls._product("Bathtub", categ_id=cls.bathroom.id)
        cls.grout = cls._product("Grout")
        cls.filler = cls._product("Filler")

    @classmethod
    def _product(cls, name, **values):
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "list_price": 10.0, **values}
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create({"name": name, **values})

    @classmethod
    def _buy(cls, partner, days_ago, *products, company=None):
        """A confirmed order of these products, placed ``days_ago`` days ago."""
        company = company or cls.env.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": 10.0})
                        for product in products
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = cls._days_ago(days_ago)
        return order

    def _day(self, days):
        return self.today + timedelta(days=days)

    def _rule(self, source, target, **values):
        return self.Rule.create(
            {
                "kind": "manual",
                "product_id": source.id,
                "target_product_id": target.id,
                "delay_days": 24,
                "confidence": 0.62,
                **values,
            }
        )

    def _mined(self, kind, source, target):
        return self.Rule.with_context(active_test=False).search(
            [
                ("kind", "=", kind),
                ("product_id", "=", source.id),
                ("target_product_id", "=", target.id),
            ]
        )
