# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestReactivationReports(RepeatSalesCommon):
    """Funnel, cost of sleeping customers and salesperson KPIs on a known history.

    Days are counted back from today (T):
    - Ann: ordered T-200 (100); e-mailed T-60 (sleeping); ordered T-30 (250),
      exactly 30 days after the contact.
    - Bob: ordered T-100 (80); reached by phone T-36 (warm); ordered T-5 (40),
      31 days after: too late to count.
    - Cid: ordered T-150 (60); no answer T-20; reached T-19 (sleeping); ordered
      T-10 (70).
    - Dan: ordered T-300 (300); call activity due T-30, deadline T-28, never done.
    - Eve: ordered T-400 (500); e-mailed T-45, no order since.
    - Fay: ordered T-250 (90); letter activity done T-20, deadline T-18.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_kpi_seller", "sales_team.group_sale_salesman")
        cls.other_seller = cls._user("rs_kpi_other", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_kpi_manager", "sales_team.group_sale_manager")
        cls.team = cls.env["crm.team"].create(
            {"name": "Tile Team", "member_ids": [(6, 0, cls.seller.ids)]}
        )
        cls.company.write(
            {"repeat_default_return_rate": 30.0, "repeat_return_rate_min_contacts": 3}
        )
        cls.email_step = cls.env.ref("repeat_sales.followup_step_offer_email")
        cls.call_step = cls.env.ref("repeat_sales.followup_step_call_60")
        cls.letter_step = cls.env["repeat.sales.followup.step"].create(
            {
                "name": "Letter",
                "company_id": cls.company.id,
                "trigger": "no_order",
                "days": 75,
                "action": "activity",
                "activity_type_id": cls.env.ref(
                    "repeat_sales.mail_activity_type_letter"
                ).id,
            }
        )
        Partner = cls.env["res.partner"]
        names = ("Ann", "Bob", "Cid", "Dan", "Eve", "Fay")
        cls.p = {
            name: Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "user_id": (cls.other_seller if name == "Eve" else cls.seller).id,
                }
            )
            for name in names
        }
        orders = [
            ("Ann", 200, 100.0),
            ("Ann", 30, 250.0),
            ("Bob", 100, 80.0),
            ("Bob", 5, 40.0),
            ("Cid", 150, 60.0),
            ("Cid", 10, 70.0),
            ("Dan", 300, 300.0),
            ("Eve", 400, 500.0),
            ("Fay", 250, 90.0),
        ]
        for name, days, amount in orders:
            order = cls._order(cls.p[name], days, amount)
            order.user_id = cls.p[name].user_id
        cls.ann_email = cls._followup("Ann", cls.email_step, 60, done=60)
        cls.eve_email = cls._followup("Eve", cls.email_step, 45, done=45)
        cls.dan_call = cls._followup("Dan", cls.call_step, 30, deadline=28)
        cls.fay_letter = cls._followup("Fay", cls.letter_step, 22, deadline=18, done=20)
        Call = cls.env["repeat.sales.call"]
        reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.calls = Call.create(
            [
                {
                    "partner_id": cls.p["Bob"].id,
                    "user_id": cls.seller.id,
                    "outcome": "not_interested",
                    "call_reason_id": reason.id,
                    "call_date": cls._days_ago(36),
                },
                {
                    "partner_id": cls.p["Cid"].id,
                    "user_id": cls.seller.id,
                    "outcome": "no_answer",
                    "call_date": cls._days_ago(20),
                },
                {
                    "partner_id": cls.p["Cid"].id,
                    "user_id": cls.seller.id,
                    "outcome": "not_interested",
                    "call_reason_id": reason.id,
                    "call_date": cls._days_ago(19),
                },
            ]
        )
        cls.env["repeat.sales.segment.snapshot"]._take(
            cls.today, cls.today - timedelta(days=1)
        )
        cls.env.flush_all()
        # The reports' tables (the KPIs' ranked orders), as at night.
        cls.env["repeat.sales.report.tables"]._cron_refresh()

    @classmethod
    def _followup(cls, name, step, due, deadline=None, done=None):
        partner = cls.p[name]
        return cls.env["repeat.sales.followup"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "step_id": step.id,
                "order_date": cls.today - timedelta(days=due + step.days),
                "due_date": cls.today - timedelta(days=due),
                "user_id": partner.user_id.id,
                "state": "done",
                "deadline": deadline and cls.today - timedelta(days=deadline),
                "done_date": done and cls.today - timedelta(days=done),
            }
        )

    def _funnel(self, user=None):
        Report = self.env["repeat.sales.reactivation.report"]
        if user:
            Report = Report.with_user(user)
        funnel = {}
        for row in Report.search([]):
            key = (row.partner_id.name, row.channel)
            _segment, targeted, contacted, ordered, revenue = funnel.get(
                key, (row.segment, 0, 0, 0, 0.0)
            )
            funnel[key] = (
                row.segment,
                targeted + row.targeted,
                contacted + row.contacted,
                ordered + row.ordered,
                revenue + row.revenue,
            )
        return funnel

    def test_funnel_rows(self):
        self.assertEqual(
            self._funnel(),
            {
                ("Ann", "email"): ("sleeping", 1, 1, 1, 250.0),
                ("Eve", "email"): ("sleeping", 1, 1, 0, 0.0),
                ("Dan", "call"): ("sleeping", 1, 0, 0, 0.0),
                ("Fay", "activity"): ("sleeping", 1, 1, 0, 0.0),
                ("Bob", "call"): ("warm", 1, 1, 0, 0.0),
                # Two calls: unanswered, then reached with an order 9 days later.
                ("Cid", "call"): ("sleeping", 2, 1, 1, 70.0),
            },
        )

    def test_funnel_per_salesperson_and_channel(self):
        rows = self.env["repeat.sales.reactivation.report"]._read_group(
            [("segment", "in", ("warm", "sleeping"))],
            ["user_id", "channel"],
            ["targeted:sum", "contacted:sum", "ordered:sum", "revenue:sum"],
        )
        self.assertEqual(
            {(user.login, channel): tuple(figures) for user, channel, *figures in rows},
            {
                ("rs_kpi_seller", "email"): (1, 1, 1, 250.0),
                ("rs_kpi_seller", "call"): (4, 2, 1, 70.0),
                ("rs_kpi_seller", "activity"): (1, 1, 0, 0.0),
                ("rs_kpi_other", "email"): (1, 1, 0, 0.0),
            },
        )

    def test_sleeping_cost_with_assumed_then_measured_rate(self):
        Report = self.env["repeat.sales.sleeping.cost.report"]
        # Sleeping today: Dan (seller, 1 order of 300), Fay (seller, 90), Eve
        # (other seller, 500). Sleeping contacts: Ann (ordered), Eve, Cid's
        # reached call (ordered), Fay: 4 contacts, 2 returns.
        self.company.repeat_return_rate_min_contacts = 5
        rows = {row.user_id.login: row for row in Report.search([])}
        seller, other = rows["rs_kpi_seller"], rows["rs_kpi_other"]
        self.assertEqual(
            (seller.sleeping_count, seller.order_count, seller.average_order),
            (2, 2, 195.0),
        )
        self.assertEqual((seller.return_rate, seller.rate_measured), (30.0, False))
        self.assertEqual(seller.cost, 117.0)  # 2 × 30% × 195
        self.assertEqual(other.cost, 150.0)  # 1 × 30% × 500
        self.company.repeat_return_rate_min_contacts = 4
        self.env.flush_all()
        self.env.invalidate_all()
        rows = {row.user_id.login: row for row in Report.search([])}
        seller, other = rows["rs_kpi_seller"], rows["rs_kpi_other"]
        self.assertEqual(
            (seller.contacted_count, seller.returned_count, seller.return_rate),
            (4, 2, 50.0),
        )
        self.assertTrue(seller.rate_measured)
        self.assertEqual(seller.cost, 195.0)  # 2 × 50% × 195
        self.assertEqual(other.cost, 250.0)

    def test_salesperson_kpis(self):
        rows = self.env["repeat.sales.salesperson.report"]._read_group(
            [],
            ["user_id"],
            [
                "calls_made:sum",
                "calls_reached:sum",
                "reactivations:sum",
                "repeat_orders:sum",
                "repeat_revenue:sum",
                "followups_on_time:sum",
                "followups_overdue:sum",
            ],
        )
        figures = {user.login: tuple(values) for user, *values in rows}
        # Repeat orders of the seller's customers: Ann T-30 (after 170 days:
        # reactivated), Bob T-5 (95 days: not), Cid T-10 (140 days: reactivated).
        self.assertEqual(figures["rs_kpi_seller"], (3, 2, 2, 3, 360.0, 1, 1))
        self.assertNotIn("rs_kpi_other", figures)
        per_team = self.env["repeat.sales.salesperson.report"]._read_group(
            [("team_id", "=", self.team.id)], [], ["calls_made:sum"]
        )
        self.assertEqual(per_team, [(3,)])
        snapshot = self.env["repeat.sales.segment.snapshot"]._read_group(
            [("team_id", "=", self.team.id)], ["segment"], ["customer_count:sum"]
        )
        self.assertEqual(dict(snapshot), {"hot": 3, "sleeping": 2})

    def test_salesperson_sees_own_figures_manager_all(self):
        own = self._funnel(self.seller)
        self.assertNotIn(("Eve", "email"), own)
        self.assertIn(("Ann", "email"), own)
        self.assertIn(("Eve", "email"), self._funnel(self.manager))
        cost = self.env["repeat.sales.sleeping.cost.report"].with_user(self.seller)
        self.assertEqual(cost.search([]).user_id, self.seller)
        kpis = self.env["repeat.sales.salesperson.report"].with_user(self.other_seller)
        self.assertFalse(kpis.search([]))

    def test_other_company_sees_nothing(self):
        outsider, _company = self._outsider("rs_kpi_outsider", "Funnel Elsewhere")
        for model in (
            "repeat.sales.reactivation.report",
            "repeat.sales.sleeping.cost.report",
            "repeat.sales.salesperson.report",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(outsider).search([]))
