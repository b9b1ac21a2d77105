# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ...models.bonus.repeat_sales_bonus_figures import whole_units
from .bonus_common import BonusCommon


@tagged("post_install", "-at_install")
class TestBonusArticle(BonusCommon):
    """The two bonus examples of the article, to the unit."""

    def test_share_of_salary_700_one_remark_2100_of_2300_orders_is_191(self):
        plan = self._plan(
            self.anna,
            measure="orders",
            target=2300,
            base_salary=700,
            remark_count=1,
        )
        # 2,100 orders are the figures the update writes; set them as it does.
        plan.sudo().write({"orders": 2100})
        self.assertEqual(plan.achieved, 2100)
        # 2,100 / 2,300 = 91.3% → 91%; the maximum 40% less 10 for one remark.
        self.assertEqual(plan.fulfilment, 91)
        self.assertEqual(plan.bonus_percent, 30.0)
        # 700 × 30% = 210; 210 × 0.91 = 191.1 → 191 (not 192 from 91.3%).
        self.assertEqual(plan.bonus, 191.0)
        self.assertEqual(plan.total_bonus, 191.0)
        self.assertEqual(plan.total_pay, 891.0)
        plan.remark_count = 0
        self.assertEqual((plan.bonus_percent, plan.bonus), (40.0, 255.0))
        plan.remark_count = 5
        self.assertEqual((plan.bonus_percent, plan.bonus), (0.0, 0.0))

    def test_fund_86000_at_107_percent_is_1118_paid_70_percent_783(self):
        customer = self.env["res.partner"].create(
            {"name": "Big Buyer", "is_company": True, "user_id": self.boris.id}
        )
        self._order_on(customer, self.quarter.replace(day=12), 86000.0, self.boris)
        plan = self._plan(
            self.boris,
            measure="revenue",
            target=80400,
            bonus_type="fund",
            base_salary=400,
            targets_met_percent=70,
        )
        self.assertEqual(plan.revenue, 86000.0)
        # 86,000 / 80,400 = 106.97% → 107% → 1.3% on the default scale.
        self.assertEqual(plan.fulfilment, 107)
        self.assertEqual(plan.fund_percent, 1.3)
        self.assertEqual(plan.fund, 1118.0)
        # 1,118 × 70% = 782.6 → 783; with the 400 salary, 1,183.
        self.assertEqual(plan.bonus, 783.0)
        self.assertEqual(plan.total_pay, 1183.0)

    def test_fund_scale_is_data_a_company_replaces(self):
        Scale = self.env["repeat.sales.bonus.scale"]
        self.assertEqual(Scale._fund_percent(self.company, 107), 1.3)
        self.assertEqual(Scale._fund_percent(self.company, 100), 1.0)
        self.assertEqual(Scale._fund_percent(self.company, 89), 0.0)
        self.assertEqual(Scale._fund_percent(self.company, 130), 1.6)
        Scale.create(
            [
                {
                    "company_id": self.company.id,
                    "fulfilment_from": 0,
                    "fund_percent": 1,
                },
                {
                    "company_id": self.company.id,
                    "fulfilment_from": 110,
                    "fund_percent": 2,
                },
            ]
        )
        self.assertEqual(Scale._fund_percent(self.company, 107), 1.0)
        self.assertEqual(Scale._fund_percent(self.company, 110), 2.0)

    def test_money_rounds_half_up_to_whole_units(self):
        # 165 × 0.7 is 115.49999… in floating point: still 116, as on paper.
        self.assertEqual(whole_units(165 * 0.7), 116.0)
        self.assertEqual(whole_units(700 * 0.91 * 0.30), 191.0)
        self.assertEqual(whole_units(1118 * 0.7), 783.0)
        self.assertEqual(whole_units(86000 * 1.3 / 100), 1118.0)
