# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestSegmentHistoryDaily(RepeatSalesCommon):
    """The nightly snapshot starts from the previous day's: it must give the
    very rows (snapshot and moves) of the computation from every order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["repeat.sales.segment.snapshot"]
        cls.Move = cls.env["repeat.sales.segment.move"]
        cls.seller = cls._user("rs_daily_seller", "sales_team.group_sale_salesman")
        cls.other_seller = cls._user("rs_daily_other", "sales_team.group_sale_salesman")
        Partner = cls.env["res.partner"]
        cls.regular = Partner.create({"name": "Regular", "user_id": cls.seller.id})
        cls._order(cls.regular, 5, 100.0)
        cls._order(cls.regular, 60, 40.0)
        cls.edge_hot = Partner.create({"name": "Edge Hot", "user_id": cls.seller.id})
        cls._order(cls.edge_hot, 30, 70.0)  # hot today, warm tomorrow
        cls.edge_warm = Partner.create({"name": "Edge Warm"})
        cls._order(cls.edge_warm, 120, 20.0)  # warm today, sleeping tomorrow
        cls.quiet = Partner.create({"name": "Quiet", "user_id": cls.other_seller.id})
        cls._order(cls.quiet, 300, 15.0)  # sleeping, never read again
        cls.moving = Partner.create({"name": "Moving", "user_id": cls.seller.id})
        cls.cancelled = cls._order(cls.moving, 10, 55.0)
        cls._order(cls.moving, 90, 25.0)
        cls.steady = Partner.create({"name": "Steady", "user_id": cls.seller.id})
        cls._order(cls.steady, 200, 35.0)  # sleeping, orders again on day 0
        cls.acme = Partner.create({"name": "Acme", "is_company": True})
        cls.beta = Partner.create({"name": "Beta", "is_company": True})
        cls.buyer = Partner.create({"name": "Acme Buyer", "parent_id": cls.acme.id})
        cls._order(cls.buyer, 20, 90.0)  # the contact moves to Beta on day 4
        cls.old_beta = Partner.create({"name": "Beta (old)", "is_company": True})
        cls._order(cls.old_beta, 15, 65.0)  # merged into Beta on day 4
        cls.env.cr.flush()

    def setUp(self):
        super().setUp()
        # Start from no state (the install took an empty day).
        self.Snapshot._set_state_marker({})

    def _night_passes(self):
        """What was written so far was written before the next run."""
        for table in ("sale_order", "res_partner"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = write_date - interval '1 day'",
                    SQL.identifier(table),
                )
            )

    def _rows(self, day):
        snapshot = self.Snapshot.search([("date", "=", day)])
        moves = self.Move.search([("date", "=", day)])
        return (
            {
                (
                    row.company_id.id,
                    row.user_id.id,
                    row.team_id.id,
                    row.segment,
                    row.customer_count,
                    row.revenue,
                    row.order_count,
                )
                for row in snapshot
            },
            {
                (
                    row.company_id.id,
                    row.user_id.id,
                    row.team_id.id,
                    row.from_segment,
                    row.to_segment,
                    row.customer_count,
                    row.previous_date,
                )
                for row in moves
            },
            snapshot,
            moves,
        )

    def _assert_daily_equals_full(self, day, previous_day):
        with freeze_time(day):
            self.assertEqual(self.Snapshot._take_day(day, previous_day), "daily")
        daily_snapshot, daily_moves, snapshot, moves = self._rows(day)
        snapshot.unlink()
        moves.unlink()
        self.Snapshot._take(day, previous_day)
        full_snapshot, full_moves = self._rows(day)[:2]
        self.assertEqual(daily_snapshot, full_snapshot)
        self.assertEqual(daily_moves, full_moves)
        return daily_snapshot, daily_moves

    def _customers(self, snapshot_rows, segment):
        return sum(row[4] for row in snapshot_rows if row[3] == segment)

    def test_daily_snapshot_equals_the_full_computation(self):
        day0 = self.today
        self.assertEqual(
            self.Snapshot._take_day(day0, day0 - timedelta(days=1)), "full"
        )
        self._night_passes()

        # Day 1: a new customer, new orders (one dated the day before), a
        # cancelled one, an order dated in two days; two customers cross a
        # threshold.
        day1 = day0 + timedelta(days=1)
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        self._order(newcomer, -1, 12.0)
        self._order(self.regular, -1, 30.0)
        self._order(self.steady, 0, 15.0)
        self.cancelled._action_cancel()
        ahead = self.env["res.partner"].create({"name": "Ahead"})
        self._order(ahead, -3, 80.0)
        self.env.cr.flush()
        since = self.Snapshot._state_marker()["since"]
        with freeze_time(day1):
            changed, reread = self.Snapshot._changed_customers(day1, day0, since)
        self.assertEqual(
            set(changed),
            {newcomer.id, self.regular.id, self.steady.id, self.moving.id, ahead.id},
        )
        # Orders dated on day 1 or later: their segment on day 0 needs the
        # orders before it. The others' rows are the engine's totals.
        self.assertEqual(set(reread), {newcomer.id, self.regular.id, ahead.id})
        snapshot1, moves1 = self._assert_daily_equals_full(day1, day0)
        # Warm: the customer 31 days without an order and the one whose
        # latest order was cancelled; the one 121 days without is sleeping.
        self.assertEqual(self._customers(snapshot1, "warm"), 2)
        self.assertEqual(self._customers(snapshot1, "sleeping"), 2)
        self.assertIn(
            (self.company.id, self.seller.id, False, "hot", "warm", 1, day0),
            moves1,
        )
        self._night_passes()

        # Day 2: a salesperson change.
        day2 = day1 + timedelta(days=1)
        self.quiet.user_id = self.seller
        self.env.cr.flush()
        self._assert_daily_equals_full(day2, day1)
        self._night_passes()

        # Day 3: the order dated ahead is reached; a salesperson joins a team.
        day3 = day2 + timedelta(days=1)
        team = self.env["crm.team"].create({"name": "Daily Team"})
        team.member_ids = [(4, self.seller.id)]
        self.env.cr.flush()
        snapshot3, moves3 = self._assert_daily_equals_full(day3, day2)
        self.assertEqual(
            {row[2] for row in snapshot3 if row[1] == self.seller.id}, {team.id}
        )
        self.assertIn((self.company.id, False, False, "never", "hot", 1, day2), moves3)
        self._night_passes()

        # Day 4: a contact moves to another company, whose old duplicate is
        # merged into it: their orders change customer without being written.
        day4 = day3 + timedelta(days=1)
        self.buyer.parent_id = self.beta
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.beta | self.old_beta).ids, self.beta, extra_checks=False
        )
        self.env.cr.flush()
        with freeze_time(day4):
            changed, reread = self.Snapshot._changed_customers(
                day4, day3, self.Snapshot._state_marker()["since"]
            )
        self.assertEqual(set(changed), {self.acme.id, self.beta.id, self.old_beta.id})
        # Acme's and the duplicate's orders are gone: their rows are read
        # again (to none); Beta's are its totals.
        self.assertEqual(set(reread), {self.acme.id, self.old_beta.id})
        snapshot4 = self._assert_daily_equals_full(day4, day3)[0]
        beta = self.env["repeat.sales.partner.stat"].search(
            [("partner_id", "=", self.beta.id)]
        )
        self.assertEqual((beta.order_count, beta.revenue), (2, 155.0))
        # Acme and the merged duplicate are gone, Beta came: one customer
        # without a salesperson less than on day 3.
        self.assertEqual(
            sum(row[4] for row in snapshot4 if not row[1]),
            sum(row[4] for row in snapshot3 if not row[1]) - 1,
        )

    def test_changed_thresholds_take_the_day_in_full(self):
        day0 = self.today
        self.Snapshot._take_day(day0, day0 - timedelta(days=1))
        self.company.repeat_hot_days = 10
        day1 = day0 + timedelta(days=1)
        with freeze_time(day1):
            self.assertEqual(self.Snapshot._take_day(day1, day0), "full")
            self.assertEqual(self.Snapshot._take_day(day1, day0), "taken")
            # The next day starts from this one again.
            self._night_passes()
            self.assertEqual(
                self.Snapshot._take_day(day1 + timedelta(days=1), day1), "daily"
            )
        snapshot = self.Snapshot.search([("date", "=", day1)])
        self.assertEqual(
            sum(
                snapshot.filtered(lambda row: row.segment == "hot").mapped(
                    "customer_count"
                )
            ),
            1,
        )
