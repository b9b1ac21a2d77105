# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from ... import compat
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestPartnerViews(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.hot = Partner.create({"name": "RS Hot", "is_company": True})
        cls.warm = Partner.create({"name": "RS Warm", "is_company": True})
        cls.sleeping = Partner.create({"name": "RS Sleeping", "is_company": True})
        cls.never = Partner.create({"name": "RS Never", "is_company": True})
        cls.contact = Partner.create(
            {"name": "RS Hot Contact", "parent_id": cls.hot.id}
        )
        # Hot: every 10 days, last 5 days ago -> expected 5 days from now.
        cls._order(cls.hot, 25, 100.0)
        cls._order(cls.hot, 15, 100.0)
        cls._order(cls.hot, 5, 100.0)
        # Warm and overdue: 30-day rhythm, last order 60 days ago.
        cls._order(cls.warm, 90, 200.0)
        cls._order(cls.warm, 60, 200.0)
        cls._order(cls.sleeping, 300, 50.0)
        cls.env.cr.flush()
        cls.ours = cls.hot | cls.warm | cls.sleeping | cls.never | cls.contact

    def _names(self, domain):
        return set(
            self.env["res.partner"]
            .search([("id", "in", self.ours.ids), *domain])
            .mapped("name")
        )

    def test_search_filters(self):
        self.assertEqual(
            self._names([("repeat_segment", "=", "hot")]), {"RS Hot", "RS Hot Contact"}
        )
        self.assertEqual(self._names([("repeat_segment", "=", "warm")]), {"RS Warm"})
        self.assertEqual(
            self._names([("repeat_segment", "=", "sleeping")]), {"RS Sleeping"}
        )
        self.assertEqual(self._names([("repeat_segment", "=", "never")]), {"RS Never"})
        self.assertEqual(
            self._names([("repeat_segment", "in", ["warm", "never"])]),
            {"RS Warm", "RS Never"},
        )
        self.assertEqual(
            self._names([("repeat_segment", "!=", "hot")]),
            {"RS Warm", "RS Sleeping", "RS Never"},
        )
        self.assertEqual(self._names([("repeat_is_overdue", "=", True)]), {"RS Warm"})
        self.assertEqual(
            self.warm.repeat_expected_order_date, self.today - timedelta(days=30)
        )

    def test_group_and_sort_partners_by_segment(self):
        groups = compat.formatted_read_group(
            self.env["res.partner"],
            [("id", "in", self.ours.ids)],
            ["repeat_segment"],
            [],
        )
        counts = {group["repeat_segment"]: group["__count"] for group in groups}
        self.assertEqual(counts, {"hot": 2, "warm": 1, "sleeping": 1, "never": 1})
        ordered = self.env["res.partner"].search(
            [("id", "in", (self.hot | self.warm | self.sleeping).ids)],
            order="repeat_last_order_date desc",
        )
        self.assertEqual(ordered.mapped("name"), ["RS Hot", "RS Warm", "RS Sleeping"])

    def test_views_render_for_a_salesperson(self):
        salesperson = self.env["res.users"].create(
            {
                "name": "Seller",
                "login": "rs_seller",
                compat.USER_GROUPS: [
                    (6, 0, self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        Partner = self.env["res.partner"].with_user(salesperson)
        for view_type in ("form", "list", "kanban", "search"):
            arch = Partner.get_views([(False, view_type)])["views"][view_type]["arch"]
            self.assertIn("repeat_segment", arch)
        values = self.hot.with_user(salesperson).read(
            ["repeat_segment", "repeat_order_count", "repeat_revenue"]
        )[0]
        self.assertEqual(
            (
                values["repeat_segment"],
                values["repeat_order_count"],
                values["repeat_revenue"],
            ),
            ("hot", 3, 300.0),
        )
