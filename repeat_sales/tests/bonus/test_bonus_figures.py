# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .bonus_common import BonusCommon


@tagged("post_install", "-at_install")
class TestBonusFigures(BonusCommon):
    """Achieved figures from the orders, calls and segment moves; the quarterly
    bonus; the leaderboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        q = cls.quarter
        # Anna: an old customer back after 200 days (a reactivation), a new
        # customer who orders twice (one repeat order), three complaints, one
        # customer turned sleeping.
        cls.old = Partner.create(
            {"name": "Old Friend", "is_company": True, "user_id": cls.anna.id}
        )
        cls.new = Partner.create(
            {"name": "Newcomer", "is_company": True, "user_id": cls.anna.id}
        )
        cls._order_on(cls.old, q - timedelta(days=200), 500.0, cls.anna)
        cls._order_on(cls.old, q + timedelta(days=5), 300.0, cls.anna)
        cls._order_on(cls.new, q + timedelta(days=10), 100.0, cls.anna)
        cls._order_on(cls.new, q + timedelta(days=40), 250.0, cls.anna)
        # Outside the quarter: not counted.
        cls._order_on(cls.new, cls.quarter_end + timedelta(days=1), 999.0, cls.anna)
        for days in (3, 20, 70):
            cls._complaint(cls.old, q + timedelta(days=days))
        # Boris: one customer with three orders in the quarter (two repeat),
        # one complaint, nobody lost.
        cls.loyal = Partner.create(
            {"name": "Loyal Shop", "is_company": True, "user_id": cls.boris.id}
        )
        for days, amount in ((2, 200.0), (30, 200.0), (60, 400.0)):
            cls._order_on(cls.loyal, q + timedelta(days=days), amount, cls.boris)
        cls._complaint(cls.loyal, q + timedelta(days=15))
        Move = cls.env["repeat.sales.segment.move"]
        Move.create(
            [
                {
                    "date": q + timedelta(days=45),
                    "previous_date": q + timedelta(days=44),
                    "company_id": cls.company.id,
                    "user_id": user.id,
                    "from_segment": from_segment,
                    "to_segment": to_segment,
                    "customer_count": count,
                }
                for user, from_segment, to_segment, count in (
                    (cls.anna, "warm", "sleeping", 1),
                    (cls.boris, "sleeping", "hot", 2),
                    (cls.boris, "warm", "hot", 1),
                )
            ]
        )

    def _quarter_plan(self, user, **values):
        return self._plan(
            user, period_type="quarter", base_salary=700, remark_count=1, **values
        )

    def test_achieved_figures_of_a_quarter(self):
        anna = self._quarter_plan(self.anna, measure="repeat_orders", target=4)
        self.assertEqual(
            [
                anna[name]
                for name in (
                    "orders",
                    "revenue",
                    "repeat_orders",
                    "repeat_revenue",
                    "reactivated",
                    "complaints",
                    "customers_lost",
                )
            ],
            [3, 650.0, 2, 550.0, 1, 3, 1],
        )
        self.assertEqual(anna.date_to, self.quarter_end)
        self.assertEqual((anna.achieved, anna.fulfilment), (2, 50))
        boris = self._quarter_plan(self.boris, measure="repeat_revenue", target=500)
        self.assertEqual(
            [boris.orders, boris.revenue, boris.repeat_orders, boris.repeat_revenue],
            [3, 800.0, 2, 600.0],
        )
        self.assertEqual(
            (boris.reactivated, boris.complaints, boris.customers_lost), (0, 1, 0)
        )
        # 600 / 500 = 120%: 700 × 120% × 30% = 252.
        self.assertEqual((boris.fulfilment, boris.bonus), (120, 252.0))

    def test_quarterly_bonus_needs_few_complaints_and_no_customer_lost(self):
        anna = self._quarter_plan(self.anna, measure="orders", target=3)
        boris = self._quarter_plan(self.boris, measure="orders", target=3)
        # Anna: three complaints and a customer lost: no quarterly bonus.
        self.assertEqual(anna.quarterly_bonus, 0.0)
        # Boris: one complaint, nobody lost: 20% of 700 = 140 on top of
        # 700 × 100% × 30% = 210.
        self.assertEqual(
            (boris.bonus, boris.quarterly_bonus, boris.total_bonus),
            (210.0, 140.0, 350.0),
        )
        # A month earns no quarterly bonus.
        month = self._plan(self.boris, measure="orders", target=3, base_salary=700)
        self.assertEqual(month.quarterly_bonus, 0.0)

    def test_update_figures_follows_new_data(self):
        plan = self._quarter_plan(self.boris, measure="orders", target=4)
        self.assertEqual((plan.achieved, plan.fulfilment), (3, 75))
        self._order_on(self.loyal, self.quarter + timedelta(days=80), 50.0, self.boris)
        plan.with_user(self.manager).action_update_figures()
        self.assertEqual((plan.achieved, plan.fulfilment), (4, 100))

    def test_leaderboard_ranks_salespeople_on_the_measure(self):
        competition = self.Competition.with_user(self.manager).create(
            {
                "name": "Repeat orders race",
                "date_from": self.quarter,
                "date_to": self.quarter_end,
                "measure": "repeat_revenue",
                "user_ids": [(6, 0, (self.anna | self.boris).ids)],
            }
        )
        board = [(line.rank, line.user_id, line.score) for line in competition.line_ids]
        self.assertEqual(board, [(1, self.boris, 600.0), (2, self.anna, 550.0)])
        self.assertEqual(competition.leader_id, self.boris)
        competition.measure = "repeat_orders"
        competition.with_user(self.manager).action_rank()
        board = [(line.rank, line.user_id, line.score) for line in competition.line_ids]
        # Two repeat orders each: they share the first place.
        self.assertEqual(board, [(1, self.anna, 2.0), (1, self.boris, 2.0)])
        # The salespeople see the leaderboard.
        lines = (
            self.env["repeat.sales.competition.line"]
            .with_user(self.anna)
            .search([("competition_id", "=", competition.id)])
        )
        self.assertEqual(lines.user_id, self.anna | self.boris)

    def test_every_salesperson_takes_part_when_none_is_chosen(self):
        competition = self.Competition.with_user(self.manager).create(
            {
                "name": "Everyone",
                "date_from": self.quarter,
                "date_to": self.quarter_end,
                "measure": "orders",
            }
        )
        self.assertLessEqual(self.anna | self.boris, competition.line_ids.user_id)
        self.assertEqual(competition.line_ids[:2].mapped("score"), [3.0, 3.0])

    def test_bad_periods_are_refused(self):
        for values in (
            {"date_from": self.quarter + timedelta(days=1)},
            {"date_from": self.quarter + timedelta(days=31), "period_type": "quarter"},
            {"target": 0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._plan(self.anna, **{"measure": "orders", "target": 5, **values})
        with self.assertRaises(ValidationError):
            self.Competition.with_user(self.manager).create(
                {
                    "name": "Backwards",
                    "date_from": self.quarter_end,
                    "date_to": self.quarter,
                }
            )
