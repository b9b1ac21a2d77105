# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .. import compat
from .common import RepeatSalesCommon

PROFILES = ("portal", "internal", "own", "all", "manager")
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# What each profile may do on each model of the addon: portal user, internal
# user without sales rights, salesperson (own documents), salesperson (all
# documents), sales manager.
MATRIX = {
    "repeat.sales.partner.stat": ("", "", "r", "r", "r"),
    "repeat.sales.followup.step": ("", "", "r", "r", "rwcu"),
    "repeat.sales.followup": ("", "", "r", "r", "rwu"),
    "repeat.sales.occasion": ("", "", "r", "r", "rwcu"),
    "repeat.sales.greeting": ("", "", "r", "r", "rwu"),
    "repeat.sales.call": ("", "", "rwc", "rwc", "rwcu"),
    "repeat.sales.call.reason": ("", "", "r", "r", "rwcu"),
    "repeat.sales.lost.reason": ("", "", "r", "r", "rwcu"),
    "repeat.sales.call.script": ("", "", "r", "r", "rwcu"),
    "repeat.sales.segment.snapshot": ("", "", "r", "r", "r"),
    "repeat.sales.segment.move": ("", "", "r", "r", "r"),
    "repeat.sales.order.report": ("", "", "r", "r", "r"),
    "repeat.sales.cohort.report": ("", "", "", "", "r"),
    "repeat.sales.reactivation.report": ("", "", "r", "r", "r"),
    "repeat.sales.sleeping.cost.report": ("", "", "r", "r", "r"),
    "repeat.sales.salesperson.report": ("", "", "r", "r", "r"),
    "repeat.sales.campaign": ("", "", "r", "r", "rwcu"),
    "repeat.sales.campaign.member": ("", "", "r", "r", "rwu"),
    "repeat.sales.campaign.report": ("", "", "r", "r", "r"),
    "repeat.sales.loyalty.tier": ("", "", "r", "r", "rwcu"),
    "repeat.sales.stamp.line": ("", "", "r", "r", "rc"),
    "repeat.sales.gift.wizard": ("", "", "rwc", "rwc", "rwc"),
    "repeat.sales.stamp.report": ("", "", "r", "r", "r"),
    "repeat.sales.tier.report": ("", "", "r", "r", "r"),
    "repeat.sales.offer.rule": ("", "", "r", "r", "rwcu"),
    "repeat.sales.offer": ("", "", "rw", "rw", "rwcu"),
    "repeat.sales.offer.report": ("", "", "r", "r", "r"),
    "repeat.sales.offer.rule.report": ("", "", "", "", "r"),
    "repeat.sales.value.fit": ("", "", "", "", "rwc"),
    "repeat.sales.value.report": ("", "", "r", "r", "r"),
    "repeat.sales.value.check": ("", "", "", "", "rwcu"),
    "repeat.sales.value.check.line": ("", "", "", "", "rwcu"),
    "repeat.sales.nightly.step": ("", "", "", "", "rw"),
    "repeat.sales.bonus.scale": ("", "", "r", "r", "rwcu"),
    "repeat.sales.bonus.period": ("", "", "r", "r", "rwcu"),
    "repeat.sales.competition": ("", "", "r", "r", "rwcu"),
    "repeat.sales.competition.line": ("", "", "r", "r", "r"),
    "repeat.sales.coupon.report": ("", "", "r", "r", "r"),
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "portal": cls._user("rs_acl_portal", "base.group_portal"),
            "internal": cls._user("rs_acl_internal", "base.group_user"),
            "own": cls._user("rs_acl_own", "sales_team.group_sale_salesman"),
            "all": cls._user("rs_acl_all", "sales_team.group_sale_salesman_all_leads"),
            "manager": cls._user("rs_acl_manager", "sales_team.group_sale_manager"),
        }
        cls.outsider, cls.other_company = cls._outsider(
            "rs_acl_outsider", "ACL Elsewhere"
        )
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {"name": "Mine", "is_company": True, "user_id": cls.users["own"].id}
        )
        cls.theirs = Partner.create(
            {"name": "Theirs", "is_company": True, "user_id": cls.users["all"].id}
        )
        for partner in (cls.mine, cls.theirs):
            cls._order(partner, 200, 100.0).user_id = partner.user_id
            cls._order(partner, 10, 50.0).user_id = partner.user_id
        reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.env["repeat.sales.call"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id,
                    "outcome": "not_interested",
                    "call_reason_id": reason.id,
                }
                for partner in (cls.mine, cls.theirs)
            ]
        )
        cls.env["repeat.sales.segment.snapshot"]._take(cls.today, cls.today)
        # The reports' tables, as the nightly chain keeps them.
        cls.env["repeat.sales.report.tables"]._cron_refresh()
        cls.env.cr.flush()

    def test_every_model_of_the_addon_is_in_the_matrix(self):
        models = self.env["ir.model.data"].search(
            [
                ("module", "=", "repeat_sales"),
                ("model", "=", "ir.model"),
                ("name", "=like", "model_repeat_sales%"),
            ]
        )
        names = self.env["ir.model"].browse(models.mapped("res_id")).mapped("model")
        # Abstract models (the offer mining) hold no records to protect.
        concrete = {name for name in names if not self.env[name]._abstract}
        self.assertEqual(concrete, set(MATRIX))

    def test_model_access_per_profile(self):
        for model, allowed in MATRIX.items():
            for profile, rights in zip(PROFILES, allowed, strict=True):
                records = self.env[model].with_user(self.users[profile]).browse()
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, profile=profile, op=operation):
                        self.assertEqual(
                            records.has_access(operation), letter in rights
                        )
                        if letter not in rights:
                            with self.assertRaises(AccessError):
                                records.check_access(operation)

    def test_salesperson_reads_only_own_customers_rows(self):
        own = self.users["own"]
        for model in (
            "repeat.sales.call",
            "repeat.sales.segment.snapshot",
            "repeat.sales.order.report",
            "repeat.sales.reactivation.report",
            "repeat.sales.salesperson.report",
            "repeat.sales.value.report",
        ):
            with self.subTest(model=model):
                rows = self.env[model].with_user(own).search([])
                self.assertTrue(rows)
                self.assertEqual(rows.mapped("user_id"), own)
                everyone = self.env[model].with_user(self.users["all"]).search([])
                self.assertGreater(len(everyone), len(rows))

    def test_rpc_read_group_sums_only_what_the_user_may_see(self):
        own = self.users["own"]
        groups = compat.formatted_read_group(
            self.env["repeat.sales.order.report"].with_user(own), [], [], ["amount:sum"]
        )
        self.assertEqual(groups[0]["amount:sum"], 150.0)
        manager = self.users["manager"]
        groups = compat.formatted_read_group(
            self.env["repeat.sales.order.report"].with_user(manager),
            [],
            [],
            ["amount:sum"],
        )
        self.assertEqual(groups[0]["amount:sum"], 300.0)

    def test_other_company_sees_nothing_of_this_one(self):
        for model in MATRIX:
            Model = self.env[model].with_user(self.outsider)
            if "company_id" not in Model._fields or not Model.has_access("read"):
                continue
            with self.subTest(model=model):
                self.assertLessEqual(
                    Model.search([]).mapped("company_id"), self.other_company
                )

    def test_figures_of_another_company_do_not_leak_through_the_customer(self):
        partner = self.mine.with_user(self.outsider).with_company(self.other_company)
        self.assertEqual(partner.repeat_order_count, 0)
        self.assertEqual(partner.repeat_revenue, 0.0)
        self.assertEqual(partner.repeat_segment, "never")
        found = (
            self.env["res.partner"]
            .with_user(self.outsider)
            .search([("id", "=", self.mine.id), ("repeat_segment", "=", "hot")])
        )
        self.assertFalse(found)
        mine = self.mine.with_user(self.users["own"])
        self.assertEqual((mine.repeat_order_count, mine.repeat_revenue), (2, 150.0))
