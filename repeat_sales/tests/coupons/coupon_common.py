# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from ..common import RepeatSalesCommon


class CouponCommon(RepeatSalesCommon):
    """A salesperson's customers, a coupon program of Odoo's loyalty (10% off
    an order of at least 100) and the 30-day e-mail step giving it for 14 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_coupon_seller", "sales_team.group_sale_salesman")
        cls.other_seller = cls._user(
            "rs_coupon_other", "sales_team.group_sale_salesman"
        )
        cls.manager = cls._user("rs_coupon_manager", "sales_team.group_sale_manager")
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Come back 10%",
                "program_type": "coupons",
                "company_id": cls.company.id,
                "rule_ids": [Command.create({"minimum_amount": 100.0})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "percent",
                            "discount": 10,
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        cls.step = cls.env.ref("repeat_sales.followup_step_offer_email")
        cls.step.write(
            {"coupon_program_id": cls.program.id, "coupon_validity_days": 14}
        )
        cls.env["repeat.sales.followup.step"].search(
            [("id", "!=", cls.step.id)]
        ).active = False
        cls.Followup = cls.env["repeat.sales.followup"]
        cls.Card = cls.env["loyalty.card"]

    @classmethod
    def _customer(cls, name, days_ago=None, user=None, **values):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "user_id": (user or cls.seller).id,
                **values,
            }
        )
        if days_ago is not None:
            cls._order(partner, days_ago, 100.0)
        return partner

    def _run_plan(self):
        self._commit_hooks()
        while self.Followup._run_plan_batch(self.today):
            pass

    def _cards(self, partners):
        return self.Card.search(
            [("partner_id", "in", partners.ids), ("program_id", "=", self.program.id)]
        )

    def _quotation(self, partner, amount):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                        }
                    )
                ],
            }
        )
