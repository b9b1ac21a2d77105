# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from ..common import TourCase


@tagged("post_install", "-at_install")
class TestCallFromActivityTour(TourCase):
    def test_marking_a_planned_call_done_opens_the_call_dialog(self):
        """Discard the dialog, then log the call: the count refreshes."""
        admin = self.env.ref("base.user_admin")
        customer = self.env["res.partner"].create(
            {"name": "Tour Tiles", "is_company": True, "user_id": admin.id}
        )
        product = self.env["product.product"].create(
            {"name": "Tour tile", "list_price": 10}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        today = fields.Date.today()
        order.date_order = datetime.combine(today - timedelta(days=60), time(10))
        self.env.cr.flush()
        Followup = self.env["repeat.sales.followup"]
        while Followup._run_plan_batch(today):
            pass
        activity = customer.activity_ids
        self.assertEqual(activity.summary, "Call with a special offer")

        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "repeat_sales_call_from_activity",
            login="admin",
        )
        # Discarded once (the call stays planned), then logged: one call, and
        # the call count on the customer's form refreshed without a reload.
        call = self.env["repeat.sales.call"].search([("partner_id", "=", customer.id)])
        self.assertEqual(call.outcome, "no_answer")
        self.assertFalse(activity.exists().filtered("active"))
