# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestSegmentHistory(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["repeat.sales.segment.snapshot"]
        cls.Move = cls.env["repeat.sales.segment.move"]
        cls.seller = cls._user("rs_history_seller", "sales_team.group_sale_salesman")
        Partner = cls.env["res.partner"]
        # Seen today, and 40 days ago (the previous snapshot day):
        cls.back = Partner.create({"name": "Back", "user_id": cls.seller.id})
        cls._order(cls.back, 200, 100.0)  # sleeping 40 days ago ...
        cls._order(cls.back, 10, 50.0)  # ... hot today: reactivated
        cls.steady = Partner.create({"name": "Steady", "user_id": cls.seller.id})
        cls._order(cls.steady, 100, 70.0)  # warm then (60 days), warm now
        cls.newcomer = Partner.create({"name": "Newcomer"})
        cls._order(cls.newcomer, 35, 30.0)  # never then, warm now
        cls.drifting = Partner.create({"name": "Drifting"})
        cls._order(cls.drifting, 125, 20.0)  # warm then (85 days), sleeping now
        cls.env.cr.flush()
        cls.previous_day = cls.today - timedelta(days=40)

    def _rows(self, records, *names):
        return {tuple(record[name] for name in names) for record in records}

    def test_snapshot_and_moves_of_a_day(self):
        self.Snapshot._take(self.today, self.previous_day)
        snapshot = self.Snapshot.search([("date", "=", self.today)])
        self.assertEqual(
            self._rows(snapshot, "segment", "user_id", "customer_count", "revenue"),
            {
                ("hot", self.seller, 1, 150.0),
                ("warm", self.seller, 1, 70.0),
                ("warm", self.env["res.users"], 1, 30.0),
                ("sleeping", self.env["res.users"], 1, 20.0),
            },
        )
        moves = self.Move.search([("date", "=", self.today)])
        self.assertEqual(
            self._rows(
                moves, "from_segment", "to_segment", "user_id", "customer_count"
            ),
            {
                ("sleeping", "hot", self.seller, 1),
                ("never", "warm", self.env["res.users"], 1),
                ("warm", "sleeping", self.env["res.users"], 1),
            },
        )
        self.assertEqual(set(moves.mapped("previous_date")), {self.previous_day})

    def test_a_day_is_taken_once(self):
        self.Snapshot._take(self.today, self.previous_day)
        self._order(self.env["res.partner"].create({"name": "Late buyer"}), 0, 10.0)
        self.env.cr.flush()
        self.Snapshot._take(self.today, self.previous_day)
        self.Snapshot._cron_take_snapshot()
        snapshot = self.Snapshot.search([("date", "=", self.today)])
        self.assertEqual(sum(snapshot.mapped("customer_count")), 4)
        self.assertEqual(len(self.Move.search([("date", "=", self.today)])), 3)

    def test_backfill_gives_month_ends_from_the_history(self):
        self.Snapshot._backfill(months=3)
        expected = {}
        for back in range(3, -1, -1):
            day = self.today + relativedelta(day=1, months=-back, days=-1)
            # Customers with an order on or before that day.
            expected[day] = sum(
                1
                for age in (200, 100, 35, 125)
                if self.today - timedelta(days=age) <= day
            )
        expected[self.today] = 4
        for day, customers in expected.items():
            with self.subTest(day=day):
                snapshot = self.Snapshot.search([("date", "=", day)])
                self.assertEqual(sum(snapshot.mapped("customer_count")), customers)

    def test_salesperson_sees_own_rows_manager_all(self):
        self.Snapshot._take(self.today, self.previous_day)
        own = self.Snapshot.with_user(self.seller).search([("date", "=", self.today)])
        self.assertEqual(own.user_id, self.seller)
        self.assertEqual(sum(own.mapped("customer_count")), 2)
        manager = self._user("rs_history_manager", "sales_team.group_sale_manager")
        every = self.Snapshot.with_user(manager).search([("date", "=", self.today)])
        self.assertEqual(sum(every.mapped("customer_count")), 4)
        other_company = self.env["res.company"].create({"name": "History Elsewhere"})
        self._order(self.steady, 5, 10.0, company=other_company)
        self.env.cr.flush()
        self.Snapshot._take(self.today + timedelta(days=1), self.today)
        visible = self.Snapshot.with_user(manager).search([])
        self.assertNotIn(other_company, visible.company_id)
