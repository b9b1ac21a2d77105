# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestCampaigns(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_campaign_seller", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_campaign_manager", "sales_team.group_sale_manager")
        Partner = cls.env["res.partner"]
        cls.sleeping = Partner.create(
            [
                {
                    "name": f"Sleeper {number:02d}",
                    "is_company": True,
                    "email": f"sleeper{number}@example.com",
                    "user_id": cls.seller.id if number < 4 else False,
                }
                for number in range(20)
            ]
        )
        cls.hot = Partner.create({"name": "Just Bought", "email": "hot@example.com"})
        for partner in cls.sleeping:
            cls._order(partner, 200, 50.0)
        cls._order(cls.hot, 3, 50.0)
        cls.template = cls.env["mail.template"].create(
            {
                "name": "We miss you",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "We miss you, {{ object.name }}",
                "body_html": "<p>Come back for 20% off.</p>",
            }
        )
        cls.env.cr.flush()

    def _campaign(self, **values):
        return self.env["repeat.sales.campaign"].create(
            {
                "name": "Spring offer",
                "segment": "sleeping",
                "mail_template_id": self.template.id,
                "seed": 42,
                **values,
            }
        )

    def _run(self, campaign):
        campaign.action_start()
        self.env["repeat.sales.campaign"]._cron_run_campaigns()

    def _groups(self, campaign):
        return {
            group: campaign.member_ids.filtered(
                lambda member, group=group: member.member_group == group
            ).partner_id
            for group in ("treated", "control")
        }

    def _campaign_mails(self, partners):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("subject", "like", "We miss you"),
            ]
        )

    def test_draw_is_recorded_reproducible_and_of_the_chosen_share(self):
        campaign = self._campaign(control_share=25.0)
        campaign.action_start()
        groups = self._groups(campaign)
        self.assertEqual(len(groups["control"]), 5)
        self.assertEqual(len(groups["treated"]), 15)
        self.assertEqual(groups["control"] | groups["treated"], self.sleeping)
        self.assertNotIn(self.hot, campaign.member_ids.partner_id)
        again = self._campaign(control_share=25.0, name="Same seed")
        again.action_start()
        self.assertEqual(self._groups(again)["control"], groups["control"])

    def test_control_customers_are_never_contacted(self):
        campaign = self._campaign()
        self._run(campaign)
        # A rerun of the scheduled action contacts nobody twice.
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        groups = self._groups(campaign)
        self.assertEqual(len(groups["control"]), 10)
        self.assertFalse(self._campaign_mails(groups["control"]))
        mails = self._campaign_mails(groups["treated"])
        self.assertEqual(len(mails), 10)
        self.assertEqual(set(mails.mapped("res_id")), set(groups["treated"].ids))
        control_members = campaign.member_ids.filtered(
            lambda member: member.member_group == "control"
        )
        self.assertEqual(set(control_members.mapped("contact_state")), {"none"})

    def test_activity_campaign_reaches_treated_only_and_respects_opt_outs(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        self.sleeping[:2].repeat_do_not_call = True
        campaign = self._campaign(
            action="activity",
            mail_template_id=False,
            activity_type_id=call_type.id,
            activity_summary="Invite to the workshop",
        )
        self._run(campaign)
        groups = self._groups(campaign)
        activities = self.env["mail.activity"].search(
            [("summary", "=", "Invite to the workshop")]
        )
        self.assertFalse(set(activities.mapped("res_id")) & set(groups["control"].ids))
        do_not_call = groups["treated"] & self.sleeping[:2]
        self.assertEqual(
            set(activities.mapped("res_id")),
            set((groups["treated"] - do_not_call).ids),
        )
        skipped = campaign.member_ids.filtered(
            lambda member: member.contact_state == "skipped"
        )
        self.assertEqual(skipped.partner_id, do_not_call)

    def test_blacklisted_treated_customer_gets_no_mail(self):
        campaign = self._campaign()
        campaign.action_start()
        treated = self._groups(campaign)["treated"]
        self.env["mail.blacklist"]._add(treated[0].email)
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        self.assertFalse(self._campaign_mails(treated[0]))
        self.assertEqual(len(self._campaign_mails(treated[1:])), len(treated) - 1)

    def test_results_with_confidence_intervals(self):
        campaign = self._campaign()
        self._run(campaign)
        groups = self._groups(campaign)
        # Within the window: 8 of 10 treated and 1 of 10 control order 100 each.
        for partner in groups["treated"][:8] | groups["control"][:1]:
            self._order(partner, 0, 100.0)
        self.env.flush_all()
        campaign.invalidate_recordset()
        self.assertEqual((campaign.treated_count, campaign.treated_ordered), (10, 8))
        self.assertEqual((campaign.control_count, campaign.control_ordered), (10, 1))
        self.assertAlmostEqual(campaign.treated_rate, 80.0)
        self.assertAlmostEqual(campaign.control_rate, 10.0)
        # 0.7 ± 1.96 × √(0.8×0.2/10 + 0.1×0.9/10) = 0.7 ± 0.3099
        self.assertAlmostEqual(campaign.rate_difference, 70.0)
        # Shown to one decimal, as the form does.
        self.assertEqual(campaign.rate_low, 39.0)
        self.assertEqual(campaign.rate_high, 101.0)
        self.assertTrue(campaign.rate_significant)
        # Revenue per customer 80 vs 10; sample variances 16000/9 and 9000/9:
        # 70 ± 1.96 × √(1777.78/10 + 1000/10) = 70 ± 32.67
        self.assertAlmostEqual(campaign.treated_revenue, 80.0)
        self.assertAlmostEqual(campaign.control_revenue, 10.0)
        self.assertAlmostEqual(campaign.revenue_low, 37.33, places=2)
        self.assertAlmostEqual(campaign.revenue_high, 102.67, places=2)
        self.assertTrue(campaign.revenue_significant)
        rows = self.env["repeat.sales.campaign.report"]._read_group(
            [("campaign_id", "=", campaign.id)],
            ["member_group"],
            ["customer_count:sum", "ordered:sum", "revenue:sum"],
        )
        self.assertEqual(
            {group: tuple(figures) for group, *figures in rows},
            {"treated": (10, 8, 800.0), "control": (10, 1, 100.0)},
        )

    def test_results_report_shows_the_campaign_interval(self):
        campaign = self._campaign()
        self._run(campaign)
        groups = self._groups(campaign)
        for partner in groups["treated"][:6] | groups["control"][:2]:
            self._order(partner, 0, 100.0)
        self.env.flush_all()
        campaign.invalidate_recordset()
        bounds = ("rate_low", "rate_high", "revenue_low", "revenue_high")
        expected = tuple(campaign[bound] for bound in bounds)
        self.assertTrue(all(expected), expected)
        rows = self.env["repeat.sales.campaign.report"].search(
            [("campaign_id", "=", campaign.id)]
        )
        self.assertEqual(len(rows), 20)
        for row in rows:
            self.assertEqual(tuple(row[bound] for bound in bounds), expected)

    def test_small_difference_is_not_significant(self):
        campaign = self._campaign()
        self._run(campaign)
        groups = self._groups(campaign)
        for partner in groups["treated"][:2] | groups["control"][:1]:
            self._order(partner, 0, 100.0)
        self.env.flush_all()
        campaign.invalidate_recordset()
        # 0.1 ± 1.96 × √(0.2×0.8/10 + 0.1×0.9/10) = 0.1 ± 0.3099
        self.assertEqual(campaign.rate_low, -21.0)
        self.assertEqual(campaign.rate_high, 41.0)
        self.assertFalse(campaign.rate_significant)

    def test_orders_count_only_within_the_window(self):
        campaign = self._campaign(window_days=30)
        self._run(campaign)
        self._order(self._groups(campaign)["treated"][0], 0, 100.0)
        # Started 30 days ago: today is the first day after a 30-day window.
        campaign.start_date = self.today - timedelta(days=30)
        self.env.flush_all()
        campaign.invalidate_recordset()
        self.assertEqual(campaign.treated_ordered, 0)
        campaign.window_days = 31
        self.env.flush_all()
        campaign.invalidate_recordset()
        self.assertEqual(campaign.treated_ordered, 1)
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        self.assertEqual(campaign.state, "running")
        campaign.window_days = 29
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        self.assertEqual(campaign.state, "done")

    def test_bad_settings_are_refused(self):
        for values, message in (
            ({"control_share": 0.0}, "control group"),
            ({"control_share": 100.0}, "control group"),
            ({"window_days": 0}, "at least 1 day"),
            ({"mail_template_id": False}, "e-mail template"),
            ({"action": "activity"}, "type of activity"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self._campaign(**values)
        with self.assertRaisesRegex(UserError, "No customer matches"):
            self._campaign(segment="warm").action_start()
        with self.assertRaisesRegex(UserError, "not valid"):
            self._campaign(partner_domain="[('name', '=' ").action_start()
        started = self._campaign()
        started.action_start()
        with self.assertRaisesRegex(UserError, "fixed"):
            started.control_share = 10.0
        with self.assertRaisesRegex(UserError, "already started"):
            started.action_start()
        self.assertEqual(len(started.member_ids), 20)

    def test_access(self):
        with self.assertRaises(AccessError):
            self._campaign().with_user(self.seller).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["repeat.sales.campaign"].with_user(self.seller).create(
                {"name": "Mine", "mail_template_id": self.template.id}
            )
        campaign = self._campaign().with_user(self.manager)
        campaign.action_start()
        own = self.sleeping.filtered(lambda partner: partner.user_id == self.seller)
        members = self.env["repeat.sales.campaign.member"].with_user(self.seller)
        self.assertEqual(members.search([]).partner_id, own)
        results = self.env["repeat.sales.campaign.report"].with_user(self.seller)
        self.assertEqual(results.search([]).partner_id, own)
        self.assertEqual(len(self.env["repeat.sales.campaign.report"].search([])), 20)
        outsider, _company = self._outsider(
            "rs_campaign_outsider", "Campaigns Elsewhere"
        )
        for model in (
            "repeat.sales.campaign",
            "repeat.sales.campaign.member",
            "repeat.sales.campaign.report",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(outsider).search([]))
