# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestCallScreens(RepeatSalesCommon):
    """What a salesperson sees of a call once it is logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._user("rs_screen_seller", "sales_team.group_sale_salesman")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Tile House, Anna", "parent_id": cls.customer.id}
        )
        cls.reason = cls.env.ref("repeat_sales.call_reason_sale")
        cls.lost_reason = cls.env.ref("repeat_sales.lost_reason_price")

    def _log_call(self, partner):
        """Log a call through the dialog the customer's *Log a Call* opens."""
        action = partner.action_repeat_sales_log_call()
        Call = partner.env[action["res_model"]].with_context(**action["context"])
        with Form(Call) as form:
            form.outcome = "not_interested"
            form.call_reason_id = self.reason
            form.lost_reason_id = self.lost_reason
        return form.record

    def test_saved_call_shows_its_reasons_read_only(self):
        call = self._log_call(self.customer.with_user(self.seller))
        form = Form(call)
        for field in ("call_reason_id", "lost_reason_id"):
            self.assertFalse(form._get_modifier(field, "invisible"), field)
            self.assertTrue(form._get_modifier(field, "readonly"), field)
        self.assertEqual(
            (form.call_reason_id, form.lost_reason_id), (self.reason, self.lost_reason)
        )

    def test_call_count_follows_a_logged_call(self):
        customer = self.customer.with_user(self.seller)
        contact = self.contact.with_user(self.seller)
        self.assertEqual(
            (customer.repeat_call_count, contact.repeat_call_count), (0, 0)
        )
        # What the dialog's Save sends: a create in the context of the action.
        action = contact.action_repeat_sales_log_call()
        contact.env[action["res_model"]].with_context(**action["context"]).create(
            {
                "outcome": "call_back",
                "callback_date": self.today,
                "call_reason_id": self.reason.id,
            }
        )
        self.assertEqual(
            (customer.repeat_call_count, contact.repeat_call_count), (1, 1)
        )
        self._log_call(customer)
        self.assertEqual(
            (customer.repeat_call_count, contact.repeat_call_count), (2, 2)
        )
