# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestScreensReportMenus(RepeatSalesCommon):
    """Salespeople have a Repeat Sales report menu with their own figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        salesman = ("sales_team.group_sale_salesman", "base.group_partner_manager")
        cls.seller = cls._user("rs_menu_seller", *salesman)
        cls.other_seller = cls._user("rs_menu_other", *salesman)
        cls.manager = cls._user("rs_menu_manager", "sales_team.group_sale_manager")
        mine, theirs = cls.env["res.partner"].create(
            [
                {"name": "Mine", "is_company": True, "user_id": cls.seller.id},
                {"name": "Theirs", "is_company": True, "user_id": cls.other_seller.id},
            ]
        )
        for partner, user in ((mine, cls.seller), (theirs, cls.other_seller)):
            cls._order(partner, 200, 100.0)
            cls.env["repeat.sales.call"].with_user(user).create(
                {"partner_id": partner.id, "outcome": "no_answer"}
            )
        cls.env.cr.flush()
        cls.env["repeat.sales.segment.snapshot"]._backfill(months=1)

    def _report_menus(self, user):
        root = self.env.ref("repeat_sales.repeat_sales_report_menu")
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        self.assertIn(root.id, visible)
        return root.child_id.filtered(lambda menu: menu.id in visible)

    def test_salespeople_see_their_own_reports(self):
        menus = self._report_menus(self.seller)
        self.assertIn(self.env.ref("repeat_sales.repeat_sales_call_report_menu"), menus)
        self.assertIn(self.env.ref("repeat_sales.repeat_sales_dashboard_menu"), menus)
        for menu in menus.filtered(
            lambda menu: menu.action._name == "ir.actions.act_window"
        ):
            action = menu.action
            domain = safe_eval(action.domain or "[]", {"uid": self.seller.id})
            # Opens without an access error; reads only what the user may see.
            self.env[action.res_model].with_user(self.seller).search(domain)
        calls = self.env["repeat.sales.call"].with_user(self.seller).search([])
        self.assertEqual(calls.partner_id.mapped("name"), ["Mine"])
        managed = self.env["repeat.sales.call"].with_user(self.manager).search([])
        self.assertEqual(sorted(managed.partner_id.mapped("name")), ["Mine", "Theirs"])
        self.assertGreater(
            len(self._report_menus(self.manager)), len(self._report_menus(self.seller))
        )

    def test_call_analysis_opens_on_a_measure_with_figures(self):
        action = self.env.ref("repeat_sales.repeat_sales_call_action_report")
        measures = safe_eval(action.context)["pivot_measures"]
        self.assertEqual(measures[0], "__count__")
        [group] = (
            self.env["repeat.sales.call"]
            .with_user(self.manager)
            .read_group([], ["won_amount"], [], lazy=False)
        )
        self.assertEqual(group["won_amount"], 0.0)  # no order won yet: all zeros
        self.assertEqual(group["__count"], 2)  # the default measure shows the calls
