# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from .common import RepeatSalesCommon

NOTHING = {"plans": False, "calls": False, "offers": False, "stamps": False}


@tagged("post_install", "-at_install")
class TestConfirmationWork(RepeatSalesCommon):
    """What confirming an order checks before its follow-up, call, offer and
    stamp steps: each answer is yes whenever that step has something to do
    for the order's customer (the company, for a contact) in its company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ann", "parent_id": cls.customer.id}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Tiles"})

    def _work(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        return quotation._repeat_confirmation_work()

    def _expect(self, **answers):
        self.assertEqual(self._work(), {**NOTHING, **answers})

    def test_customer_with_nothing_open(self):
        self._order(self.customer, 10, 100.0)
        self._expect()

    def test_follow_up_to_do_or_with_an_activity(self):
        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_offer_call"
        )
        self._expect(plans=True)
        followup.state = "done"
        self._expect()
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.customer.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "repeat_followup_id": followup.id,
            }
        )
        self._expect(plans=True)
        other_step = self.env["repeat.sales.followup.step"].search(
            [("company_id", "=", self.other_company.id)], limit=1
        )
        followup.write({"company_id": self.other_company.id, "step_id": other_step.id})
        self._expect()

    def test_customer_lost_in_this_company(self):
        self.customer.with_company(self.other_company).repeat_lost_date = self.today
        self._expect()
        self.customer.repeat_lost_date = self.today
        self._expect(plans=True)
        self.customer.repeat_lost_date = False
        self._expect()

    def test_call_in_this_company(self):
        call = self.env["repeat.sales.call"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.other_company.id,
                "outcome": "no_answer",
            }
        )
        self._expect()
        call.company_id = self.company
        self._expect(calls=True)
        call.active = False
        self._expect()

    def test_open_offer(self):
        offer = self.env["repeat.sales.offer"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "product_id": self.product.id,
                "kind": "again",
                "source_date": self.today - timedelta(days=300),
                "due_date": self.today,
                "end_date": self.today + timedelta(days=30),
            }
        )
        self._expect(offers=True)
        offer.state = "sent"
        self._expect(offers=True)
        offer.state = "expired"
        self._expect()

    def test_stamp_program_of_the_company(self):
        program = self.env["loyalty.program"].create(
            {
                "name": "Stamps",
                "program_type": "loyalty",
                "applies_on": "future",
                "company_id": self.other_company.id,
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                "repeat_card_size": 10,
                "rule_ids": [],
            }
        )
        self._expect()
        program.company_id = self.company
        self._expect(stamps=True)
        program.active = False
        self._expect()
