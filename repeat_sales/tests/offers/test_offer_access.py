# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..offer_common import OfferCommon


@tagged("post_install", "-at_install")
class TestOfferAccess(OfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_offer_seller", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_offer_manager", "sales_team.group_sale_manager")
        cls.mine = cls._customer("Mine", user_id=cls.seller.id)
        cls.theirs = cls._customer("Theirs")
        cls.other_company = cls.env["res.company"].create({"name": "Other Tiles Inc"})
        cls.offers = cls.env["repeat.sales.offer"]
        for partner, company in (
            (cls.mine, cls.company),
            (cls.theirs, cls.company),
            (cls.theirs, cls.other_company),
        ):
            cls.offers |= cls.Offer.create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "product_id": cls.bathtub.id,
                    "kind": "manual",
                    "source_date": cls.today,
                    "due_date": cls.today,
                    "end_date": cls.today,
                }
            )

    def test_salesperson_sees_own_customers_offers(self):
        visible = self.Offer.with_user(self.seller).search([])
        self.assertEqual(visible, self.offers[0])
        visible.action_mark_sent()
        self.assertEqual(visible.state, "sent")
        with self.assertRaises(AccessError):
            self.offers[1].with_user(self.seller).action_decline()

    def test_manager_sees_all_of_own_companies(self):
        self.assertEqual(self.Offer.with_user(self.manager).search([]), self.offers[:2])
        self.manager.company_ids |= self.other_company
        self.assertEqual(
            self.Offer.with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            .search([]),
            self.offers,
        )

    def test_only_managers_write_rules(self):
        values = {
            "product_id": self.tiles.id,
            "target_product_id": self.bathtub.id,
            "delay_days": 10,
        }
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.seller).create(values)
        rule = self.Rule.with_user(self.manager).create(values)
        self.assertEqual(rule.kind, "manual")
        self.assertEqual(self.Rule.with_user(self.seller).search([]), rule)
        with self.assertRaises(AccessError):
            rule.with_user(self.seller).active = False
        rule.with_user(self.manager).active = False
        self.assertFalse(rule.active)

    def test_salesperson_report_shows_own_customers(self):
        self.env.flush_all()
        rows = self.env["repeat.sales.offer.report"].with_user(self.seller).search([])
        self.assertEqual(rows.partner_id, self.mine)
