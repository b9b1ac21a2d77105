# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .bonus_common import BonusCommon

MONEY = ("base_salary", "bonus", "fund", "quarterly_bonus", "total_bonus", "total_pay")


@tagged("post_install", "-at_install")
class TestBonusAccess(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plans = cls._plan(
            cls.anna, measure="orders", target=10, base_salary=700
        ) | cls._plan(cls.boris, measure="orders", target=10, base_salary=900)

    def test_salesperson_sees_own_plan_without_salary_or_bonus(self):
        mine = self.Period.with_user(self.anna).search([])
        self.assertEqual(mine.user_id, self.anna)
        self.assertEqual(mine.fulfilment, 0)
        for name in MONEY:
            with self.subTest(field=name), self.assertRaises(AccessError):
                mine.read([name])
        self.assertFalse(
            set(MONEY) & set(self.Period.with_user(self.anna).fields_get())
        )
        # Nor can a search or a group read the salary.
        with self.assertRaises(AccessError):
            self.Period.with_user(self.anna).search([("base_salary", ">", 0)])
        with self.assertRaises(AccessError):
            mine.write({"target": 1})
        with self.assertRaises(AccessError):
            mine.action_update_figures()

    def test_manager_sees_everyones_salary(self):
        plans = self.Period.with_user(self.manager).search([])
        self.assertEqual(plans.user_id, self.anna | self.boris)
        self.assertEqual(sorted(plans.mapped("base_salary")), [700.0, 900.0])

    def test_salesperson_form_hides_the_bonus(self):
        arch = self.Period.with_user(self.anna).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertNotIn("base_salary", arch)
        self.assertIn("fulfilment", arch)
        arch = self.Period.with_user(self.manager).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn("base_salary", arch)

    def test_other_company_sees_no_plan(self):
        outsider, _company = self._outsider("rs_bonus_outsider", "Bonus Elsewhere")
        self.assertFalse(self.Period.with_user(outsider).search([]))
