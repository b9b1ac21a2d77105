# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np

from odoo.tests import tagged
from odoo.tools import SQL

from ..common import RepeatSalesCommon

# (name, salesperson, days since the order, P(alive), value next 12 months);
# None: no prediction. "Orders only": orders predicted, no value model.
CUSTOMERS = (
    ("Ann", "one", 10, 0.9, 400.0),
    ("Bob", "one", 10, 0.8, 200.0),
    ("Cid", "one", 60, 0.4, 100.0),
    ("Dee", "one", 200, 0.3, 50.0),
    ("Eve", "two", 200, 0.6, 1000.0),
    ("Fay", "two", 60, None, None),
    ("Gus", "two", 10, 0.5, None),
)
SQL_TOTALS = """
    SELECT COUNT(*), SUM(stat.clv_12m), SUM(stat.p_alive),
           COUNT(stat.p_alive), COUNT(stat.clv_12m)
      FROM repeat_sales_partner_stat stat
      JOIN res_partner partner ON partner.id = stat.partner_id
     WHERE stat.company_id = %s AND %s
"""
MEASURES = [
    "customer_count",
    "predicted_count",
    "clv_12m",
    "p_alive",
    "expected_alive",
    "average_clv_12m",
]


@tagged("post_install", "-at_install")
class TestValueReport(RepeatSalesCommon):
    """Value by segment and salesperson: totals and groups equal an SQL
    recount of the customer figures; averages are weighted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sellers = {
            key: cls._user(f"rs_value_report_{key}", "sales_team.group_sale_salesman")
            for key in ("one", "two")
        }
        cls.manager = cls._user("rs_value_report_boss", "sales_team.group_sale_manager")
        partners = {}
        for name, seller, days_ago, _alive, _value in CUSTOMERS:
            partners[name] = cls.env["res.partner"].create(
                {"name": name, "is_company": True, "user_id": cls.sellers[seller].id}
            )
            cls._order(partners[name], days_ago, 100.0)
        cls.env.cr.flush()
        predicted = [row for row in CUSTOMERS if row[3] is not None]
        alive = np.array([row[3] for row in predicted])
        value = np.array([np.nan if row[4] is None else row[4] for row in predicted])
        zeros = np.zeros(len(predicted))
        cls.env["repeat.sales.partner.stat"]._store_value_figures(
            cls.company,
            np.array([partners[row[0]].id for row in predicted]),
            [alive, zeros, zeros + 1, zeros, zeros, value, alive < 0.5],
        )
        cls.env.invalidate_all()
        cls.Report = cls.env["repeat.sales.value.report"]

    def _recount(self, where=None):
        self.env.flush_all()
        self.env.cr.execute(SQL(SQL_TOTALS, self.company.id, where or SQL("TRUE")))
        count, value, alive, predicted, valued = self.env.cr.fetchone()
        return {
            "customer_count": count,
            "predicted_count": predicted,
            "clv_12m": value or 0.0,
            "expected_alive": alive or 0.0,
            "p_alive": alive / predicted if predicted else False,
            "average_clv_12m": value / valued if valued else False,
        }

    def _assert_group(self, group, expected):
        for name, value in expected.items():
            if value is False:
                self.assertFalse(group[name], name)
            else:
                self.assertAlmostEqual(group[name], value, places=6, msg=name)

    def test_grand_total_equals_an_sql_recount(self):
        [total] = self.Report.with_user(self.manager).read_group([], MEASURES, [])
        expected = self._recount()
        self._assert_group(total, expected)
        self.assertEqual(total["customer_count"], len(CUSTOMERS))
        self.assertAlmostEqual(total["clv_12m"], 1750.0)
        # 3.5 customers expected still buying of the 6 predicted, and 1,750 over
        # the 5 valued: not the mean of the rows' averages over all 7
        self.assertAlmostEqual(total["p_alive"], 3.5 / 6)
        self.assertAlmostEqual(total["average_clv_12m"], 350.0)

    def test_groups_by_segment_and_salesperson_equal_an_sql_recount(self):
        for groupby, column in (("segment", "stat.segment"), ("user_id", None)):
            groups = self.Report.with_user(self.manager).read_group(
                [], MEASURES, [groupby], lazy=False
            )
            self.assertGreater(len(groups), 1)
            for group in groups:
                key = group[groupby]
                if column:
                    where = SQL("stat.segment = %s", key)
                else:
                    where = SQL("partner.user_id = %s", key[0])
                with self.subTest(groupby=groupby, key=key):
                    self._assert_group(group, self._recount(where))
        by_user = {
            group["user_id"][0]: group
            for group in self.Report.read_group([], MEASURES, ["user_id"])
        }
        one, two = (by_user[self.sellers[key].id] for key in ("one", "two"))
        self.assertAlmostEqual(one["p_alive"], 2.4 / 4)
        self.assertAlmostEqual(two["p_alive"], 1.1 / 2)

    def test_salesperson_sees_own_customers_only(self):
        seller = self.sellers["two"]
        [total] = self.Report.with_user(seller).read_group([], MEASURES, [])
        self._assert_group(total, self._recount(SQL("partner.user_id = %s", seller.id)))
        self.assertEqual(total["customer_count"], 3)
        rows = self.Report.with_user(seller).search([])
        self.assertEqual(rows.user_id, seller)
        menu = self.env.ref("repeat_sales.repeat_sales_value_report_menu")
        visible = self.env["ir.ui.menu"].with_user(seller)._visible_menu_ids()
        self.assertIn(menu.id, visible)
