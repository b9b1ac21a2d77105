# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyAccess(RepeatSalesLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_stamp_seller", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_stamp_manager", "sales_team.group_sale_manager")

    def test_salesperson_reads_but_cannot_adjust(self):
        order = self._order(self.customer, 0, 300.0)
        Line = self.Line.with_user(self.seller)
        self.assertEqual(Line.search([]).order_id, order)
        card = self._card()
        with self.assertRefused(AccessError, "not allowed to create"):
            Line.create({"card_id": card.id, "stamps": 5, "reason": "Friend"})
        with self.assertRefused(UserError, "change only through their ledger"):
            card.with_user(self.seller).points = 50
        self.assertEqual(self._balance(), 3)

    def test_salesperson_confirms_and_earns(self):
        quotation = self._quotation(self.customer, 300.0)
        quotation.user_id = self.seller
        quotation.with_user(self.seller).action_confirm()
        self.assertEqual(self._balance(), 3)

    def test_manager_adjusts_with_a_reason(self):
        self._order(self.customer, 0, 300.0)
        Line = self.Line.with_user(self.manager)
        card = self._card()
        with self.assertRefused(
            ValidationError, "needs a number of stamps and a reason"
        ):
            Line.create({"card_id": card.id, "stamps": 2})
        line = Line.create({"card_id": card.id, "stamps": 2, "reason": "Lost card"})
        self.assertEqual((line.kind, line.user_id), ("adjust", self.manager))
        self.assertEqual(self._balance(), 5)
        with self.assertRaises(AccessError):
            line.stamps = 20
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRefused(UserError, "fewer than zero stamps"):
            Line.create({"card_id": card.id, "stamps": -6, "reason": "Typo"})
        self.assertEqual(self._balance(), 5)

    def test_other_company_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other Tiles"})
        other_program = self.env["loyalty.program"].create(
            {
                "name": "Other stamps",
                "program_type": "loyalty",
                "company_id": other_company.id,
                "repeat_is_stamp_program": True,
                "repeat_tier_ids": [Command.create({"name": "Member"})],
            }
        )
        self.assertEqual(other_program.repeat_tier_ids.company_id, other_company)
        self._order(self.customer, 0, 300.0, company=other_company)
        self._order(self.customer, 0, 100.0)
        self.seller.company_ids = self.env.company
        Line = self.Line.with_user(self.seller)
        self.assertEqual(Line.search([]).mapped("stamps"), [1])
        Tier = self.env["repeat.sales.loyalty.tier"].with_user(self.seller)
        self.assertEqual(Tier.search([]), self.program.repeat_tier_ids)
        self.assertEqual(
            self.env["repeat.sales.tier.report"]
            .with_user(self.seller)
            .search([])
            .tier_id,
            self.tier1,
        )
