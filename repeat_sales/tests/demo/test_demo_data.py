# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo tells the whole story: run only on a database with demo data.

The normal suite installs without demo data (``tools/test.sh``); these tests
skip there. ``DEMO=1 tools/test.sh -k demo`` installs with demo data and runs
them.
"""

import unittest
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, float_round
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("base.module_repeat_sales").demo:
            raise unittest.SkipTest("the database has no demo data")
        cls.today = fields.Date.context_today(cls.env.user)
        cls.seller = cls.env["res.users"].search([("login", "=", "sales")])
        cls.admin = cls.env.ref("base.user_admin")

    def test_customers_with_a_year_of_history_in_every_segment(self):
        Stat = self.env["repeat.sales.partner.stat"]
        self.assertGreaterEqual(Stat.search_count([]), 150)
        oldest = Stat.search([], order="first_order_date", limit=1)
        self.assertLessEqual(oldest.first_order_date, self.today - timedelta(days=365))
        for user in (self.seller, self.admin):
            Partner = self.env["res.partner"].with_user(user)
            for segment in ("hot", "warm", "sleeping", "never"):
                with self.subTest(user=user.login, segment=segment):
                    self.assertTrue(
                        Partner.search_count(
                            [
                                ("user_id", "=", user.id),
                                ("customer_rank", ">", 0),
                                ("repeat_segment", "=", segment),
                            ]
                        )
                    )

    def test_the_salesperson_has_plain_sales_rights(self):
        self.assertTrue(self.seller.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(
            self.seller.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertTrue(self.admin.has_group("sales_team.group_sale_manager"))

    def test_segment_history_with_moves(self):
        Snapshot = self.env["repeat.sales.segment.snapshot"]
        days = set(Snapshot.search([]).mapped("date"))
        self.assertGreaterEqual(len(days), 13)
        Move = self.env["repeat.sales.segment.move"]
        self.assertTrue(Move.search_count([("from_segment", "=", "hot")]))
        self.assertTrue(Move.search_count([("to_segment", "=", "sleeping")]))

    def test_follow_ups_due_today_overdue_and_done(self):
        Activity = self.env["mail.activity"]
        planned = [("repeat_followup_id", "!=", False)]
        self.assertTrue(
            Activity.search_count([*planned, ("date_deadline", "=", self.today)])
        )
        self.assertTrue(
            Activity.search_count([*planned, ("date_deadline", "<", self.today)])
        )
        Followup = self.env["repeat.sales.followup"]
        self.assertTrue(
            Followup.search_count(
                [("done_date", "!=", False), ("action", "=", "email")]
            )
        )
        # A planned call carried out: its activity is done, the day recorded.
        self.assertTrue(
            Followup.search_count(
                [
                    ("action", "=", "activity"),
                    ("done_date", "!=", False),
                    ("activity_ids", "=", False),
                ]
            )
        )
        self.assertTrue(Followup.search_count([("state", "=", "closed")]))

    def test_calls_with_every_outcome_and_their_next_steps(self):
        Call = self.env["repeat.sales.call"]
        outcomes = {
            group["outcome"] for group in Call.read_group([], ["outcome"], ["outcome"])
        }
        self.assertEqual(outcomes, set(dict(Call._fields["outcome"].selection)))
        self.assertTrue(Call.search_count([("user_id", "=", self.seller.id)]))
        self.assertTrue(
            self.env["mail.activity"].search_count([("repeat_call_id", "!=", False)])
        )
        self.assertTrue(Call.search_count([("won", "=", True)]))

    def test_mined_rules_and_live_offers_one_won(self):
        self.assertTrue(self.env["repeat.sales.offer.rule"].search_count([]))
        Offer = self.env["repeat.sales.offer"]
        self.assertTrue(Offer.search_count([("state", "=", "proposed")]))
        won = Offer.search([("state", "=", "won")])
        self.assertTrue(won)
        self.assertTrue(won.won_order_id)
        self.assertTrue(
            self.env["repeat.sales.offer.rule"].search_count([("kind", "=", "next")])
        )

    def test_stamp_cards_in_every_tier_and_a_gift_ready(self):
        program = self.env["loyalty.program"].search(
            [("repeat_is_stamp_program", "=", True)]
        )
        self.assertEqual(len(program), 1)
        cards = self.env["loyalty.card"].search([("program_id", "=", program.id)])
        self.assertEqual(
            set(cards.repeat_tier_id.ids), set(program.repeat_tier_ids.ids)
        )
        self.assertTrue(
            cards.filtered(lambda card: card.points >= program.repeat_card_size)
        )

    def test_a_finished_campaign_with_a_control_group_and_its_result(self):
        campaign = self.env["repeat.sales.campaign"].search([("state", "=", "done")])
        self.assertTrue(campaign)
        campaign = campaign[0]
        self.assertGreater(campaign.control_count, 0)
        self.assertGreater(campaign.treated_count, 0)
        self.assertGreater(campaign.treated_ordered, 0)
        self.assertLess(campaign.rate_low, campaign.rate_high)

    def test_coupons_sent_by_the_plan_and_one_used_by_an_order(self):
        cards = self.env["loyalty.card"].search(
            [("repeat_followup_id", "!=", False)], order="id"
        )
        self.assertGreaterEqual(len(cards), 2)
        self.assertEqual(set(cards.mapped("repeat_coupon_state")), {"valid", "used"})
        used = cards.filtered(lambda card: card.repeat_coupon_state == "used")
        self.assertEqual(len(used), 1)
        order = used.repeat_reward_line_ids.order_id
        self.assertEqual(order.state, "sale")
        # 10% off: the discount line is a tenth of the order before it.
        discount = order.order_line.filtered("coupon_id")
        self.assertAlmostEqual(
            -discount.price_subtotal * 10,
            order.amount_untaxed - discount.price_subtotal,
            places=2,
        )
        message = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", used.partner_id.id),
                ("body", "ilike", used.code),
            ]
        )
        self.assertTrue(message, "the code was in the customer's e-mail")
        report = self.env["repeat.sales.coupon.report"].with_user(self.admin)
        [(sent, used_count, revenue)] = report._read_group(
            [], [], ["sent:sum", "used:sum", "revenue:sum"]
        )
        self.assertEqual((sent, used_count), (len(cards), 1))
        self.assertAlmostEqual(revenue, order.amount_untaxed)

    def test_customer_value_filled_for_repeat_customers(self):
        """The value model converges on the demo history: every customer who
        ordered again on a later day has a chance to be alive, expected orders
        and a value for the next 12 months."""
        fit = self.env["repeat.sales.value.fit"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertEqual((fit.state, fit.value_state), ("fitted", "fitted"))
        self.assertFalse(fit.message)
        self.assertGreaterEqual(fit.repeat_customer_count, 150)
        self.env.flush_all()
        # Customers with purchases on two days up to the fit's last day.
        self.env.cr.execute(
            SQL(
                """SELECT stat.p_alive, stat.expected_orders_90d, stat.clv_12m
                     FROM repeat_sales_partner_stat stat
                     JOIN (SELECT partner_id, company_id FROM (%s) facts
                            WHERE order_date <= %s
                         GROUP BY 1, 2 HAVING COUNT(DISTINCT order_date) > 1
                          ) repeat USING (partner_id, company_id)""",
                self.env["repeat.sales.order.facts"]._orders_sql(),
                fit.data_until,
            )
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), fit.repeat_customer_count)
        for p_alive, orders, value in rows:
            self.assertTrue(0 < p_alive <= 1)
            self.assertGreater(orders, 0)
            self.assertGreater(value, 0)

    # ------------------------------------------------------------------
    # Every screen of the menus shows records
    # ------------------------------------------------------------------

    def _search_defaults(self, action, context, eval_context):
        """The domain of the filters the action's search view starts with."""
        defaults = {
            key[len("search_default_") :]
            for key, value in context.items()
            if key.startswith("search_default_") and value
        }
        if not defaults:
            return []
        Model = self.env[action.res_model]
        view = Model.get_views([(action.search_view_id.id, "search")])
        arch = etree.fromstring(view["views"]["search"]["arch"])
        domain = []
        for node in arch.iter("filter"):
            if node.get("name") in defaults and node.get("domain"):
                domain += safe_eval(node.get("domain"), eval_context)
        return domain

    def _assert_action_shows_records(self, user, action):
        env = self.env(user=user)
        eval_context = {
            **env["ir.actions.actions"]._get_eval_context(),
            "uid": user.id,
            "context_today": lambda: fields.Date.context_today(env.user),
            "allowed_company_ids": env.companies.ids,
            "active_id": False,
            "active_ids": [],
        }
        context = safe_eval(action.context or "{}", eval_context)
        Model = env[action.res_model].with_context(**context)
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        modes = action.view_mode.split(",")
        views += [(False, mode) for mode in modes if mode not in dict(views).values()]
        loaded = Model.get_views([*views, (action.search_view_id.id, "search")])
        self.assertTrue(loaded["views"])
        if modes[0] == "form":
            return
        domain = safe_eval(action.domain or "[]", eval_context)
        domain += self._search_defaults(action, context, eval_context)
        result = Model.web_search_read(
            domain, specification={"display_name": {}}, limit=80
        )
        self.assertGreaterEqual(result["length"], 1)
        if modes[0] in ("graph", "pivot"):
            self._assert_first_measures_not_all_zero(
                Model, loaded["views"][modes[0]]["arch"], modes[0], context, domain
            )

    def _assert_first_measures_not_all_zero(self, Model, arch, mode, context, domain):
        """A report that opens on a chart or a table shows figures, not zeros."""
        measures = [
            node.get("name")
            for node in etree.fromstring(arch).iter("field")
            if node.get("type") == "measure"
        ]
        if mode == "graph":
            # The graph view draws one measure: the last one its arch names.
            measures = measures[-1:]
        else:
            measures = context.get("pivot_measures") or measures
        measures = [name for name in measures if name != "__count__"]
        if not measures:
            return
        [totals] = Model._read_group(
            domain,
            aggregates=[
                f"{name}:{Model._fields[name].aggregator or 'sum'}" for name in measures
            ],
        )
        self.assertTrue(any(totals), f"{measures} are all zero: {totals}")
        self.assertGreaterEqual(Model.search_count(domain), 1)

    def test_bonus_periods_with_the_articles_terms_and_a_leaderboard(self):
        Period = self.env["repeat.sales.bonus.period"]
        salary = Period.search([("user_id", "=", self.seller.id)])
        self.assertEqual(len(salary), 1)
        # Salary 700, one remark (30%), plan fulfilled at 91%: 191.
        self.assertEqual((salary.fulfilment, salary.bonus_percent), (91, 30.0))
        self.assertEqual(salary.bonus, 191.0)
        fund = Period.search([("user_id", "=", self.admin.id)])
        self.assertEqual((fund.fulfilment, fund.fund_percent), (107, 1.3))
        # 70% of the fund, half-up to whole units (115.5 → 116, whatever the
        # float error of 165 × 0.7).
        self.assertEqual(fund.bonus, float_round(fund.fund * 0.7, precision_digits=0))
        self.assertGreater(fund.fund, 0)
        # The salesperson sees his plan, not his salary.
        self.assertEqual(Period.with_user(self.seller).search([]), salary)
        competition = self.env["repeat.sales.competition"].search([])
        self.assertEqual(competition.line_ids.user_id, self.seller | self.admin)
        self.assertEqual(competition.line_ids[:1].rank, 1)

    def test_a_birthday_greeting_and_a_rhythm_call(self):
        weekly = self.env["res.partner"].search(
            [("name", "=", "Corner Bakery (Weekly)")]
        )
        greetings = self.env["repeat.sales.greeting"].search(
            [("state", "=", "sent"), ("occasion_date", "=", self.today)]
        )
        self.assertIn(weekly, greetings.partner_id)
        self.assertIn(self.admin, greetings.partner_id.user_id)
        self.assertEqual(
            greetings.filtered(lambda g: g.partner_id == weekly).message_id.subject,
            "Happy birthday, Corner Bakery (Weekly)!",
        )
        rhythm = self.env.ref("repeat_sales.followup_step_rhythm_call")
        call = weekly.activity_ids.filtered(
            lambda activity: activity.repeat_followup_id.step_id == rhythm
        )
        self.assertEqual(call.user_id, self.seller)

    def test_every_menu_shows_records_to_salesperson_and_manager(self):
        menus = self.env["ir.ui.menu"].search(
            [("id", "in", self._addon_ids("ir.ui.menu"))]
        )
        for user in (self.seller, self.admin):
            visible = menus.with_user(user).search([("id", "in", menus.ids)])
            self.assertTrue(visible)
            for menu in visible.sudo():
                action = menu.action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(user=user.login, menu=menu.complete_name):
                    self._assert_action_shows_records(user, action)

    def _addon_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", "repeat_sales"), ("model", "=", model)])
            .mapped("res_id")
        )
