# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 24, item 5: a company created after the install works with no setup
by hand."""

from odoo.tests import tagged

from ..common import RepeatSalesCommon

DEFAULT_DATA_MODELS = (
    "repeat.sales.call.reason",
    "repeat.sales.call.script",
    "repeat.sales.followup.step",
    "repeat.sales.occasion",
)


@tagged("post_install", "-at_install")
class TestHardeningNewCompany(RepeatSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late_company = cls.env["res.company"].create({"name": "Late Shop"})
        cls.late_seller = cls._user("rs_late_seller", "sales_team.group_sale_salesman")
        cls.late_manager = cls._user("rs_late_manager", "sales_team.group_sale_manager")
        (cls.late_seller | cls.late_manager).write(
            {
                "company_ids": [(6, 0, cls.late_company.ids)],
                "company_id": cls.late_company.id,
            }
        )

    def _shipped(self, model):
        return (
            self.env[model]
            .with_context(active_test=False)
            .browse(
                self.env["ir.model.data"]
                .search([("module", "=", "repeat_sales"), ("model", "=", model)])
                .mapped("res_id")
            )
        )

    def _of_company(self, model, company):
        return (
            self.env[model]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )

    def test_every_company_gets_the_shipped_defaults_once(self):
        for model in DEFAULT_DATA_MODELS:
            with self.subTest(model=model):
                shipped = self._shipped(model)
                self.assertTrue(shipped)
                copies = self._of_company(model, self.late_company)
                self.assertEqual(len(copies), len(shipped))
        reasons = self._of_company("repeat.sales.call.reason", self.late_company)
        self.assertEqual(
            sorted(reasons.mapped("name")),
            sorted(self._shipped("repeat.sales.call.reason").mapped("name")),
        )
        # Install and upgrade run it on every company: nothing is added twice.
        counts = {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in DEFAULT_DATA_MODELS
        }
        self.env["res.company"].search([])._repeat_sales_create_defaults()
        for model, count in counts.items():
            self.assertEqual(
                self.env[model].with_context(active_test=False).search_count([]),
                count,
            )

    def test_late_company_runs_figures_plan_calls_stamps_and_offers(self):
        company = self.late_company
        self.env["loyalty.program"].create(
            {
                "name": "Late Stamps",
                "company_id": company.id,
                "program_type": "loyalty",
                "applies_on": "future",
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                "rule_ids": [],
            }
        )
        grout = self.env["product.product"].create({"name": "Grout", "type": "consu"})
        self.env["repeat.sales.offer.rule"].with_user(self.late_manager).with_company(
            company
        ).create(
            {
                "kind": "manual",
                "product_id": self.product.id,
                "target_product_id": grout.id,
                "delay_days": 30,
                "confidence": 0.5,
            }
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Late Customer",
                "is_company": True,
                "email": "late@example.com",
                "user_id": self.late_seller.id,
            }
        )
        self._order(customer, 40, 250.0, company=company)
        self._commit_hooks()

        stat = self._stat(customer, company)
        self.assertEqual((stat.order_count, stat.revenue), (1, 250.0))

        Followup = self.env["repeat.sales.followup"]
        while Followup._run_plan_batch(self.today):
            pass
        followup = Followup.search([("partner_id", "=", customer.id)])
        self.assertEqual(followup.company_id, company)
        self.assertEqual(followup.step_id.days, 35)

        Call = self.env["repeat.sales.call"].with_user(self.late_seller)
        reason = self.env["repeat.sales.call.reason"].with_user(self.late_seller)
        call = Call.create(
            {
                "partner_id": customer.id,
                "outcome": "not_interested",
                "call_reason_id": reason.search([], limit=1).id,
            }
        )
        self.assertEqual(call.company_id, company)
        self.assertTrue(call.reached)
        self.assertTrue(call.script_opening)

        lines = self.env["repeat.sales.stamp.line"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(sum(lines.mapped("stamps")), 2)

        self.env["repeat.sales.offer"]._generate(self.today)
        offer = self.env["repeat.sales.offer"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual((offer.company_id, offer.product_id), (company, grout))
