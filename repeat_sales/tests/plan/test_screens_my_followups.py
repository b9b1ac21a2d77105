# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestScreensMyFollowups(RepeatSalesCommon):
    """My Follow-ups lists each user's open activities planned by the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        salesman = ("sales_team.group_sale_salesman", "base.group_partner_manager")
        cls.seller = cls._user("rs_my_seller", *salesman)
        cls.other_seller = cls._user("rs_my_other", *salesman)
        cls.handler = cls._user(
            "rs_my_complaints",
            "sales_team.group_sale_manager",
            "base.group_partner_manager",
        )
        cls.company.write(
            {"repeat_complaint_user_id": cls.handler.id, "repeat_call_max_attempts": 3}
        )
        cls.customer.write({"user_id": cls.seller.id, "email": "tiles@example.com"})
        cls._order(cls.customer, 60, 400.0)
        cls.env.cr.flush()

    def _my_followups(self, user):
        """What the menu shows ``user``: the action's domain and its default filter."""
        action = self.env.ref("repeat_sales.repeat_sales_my_followups_action")
        self.assertEqual(safe_eval(action.context), {"search_default_mine": 1})
        domain = safe_eval(action.domain) + [("user_id", "=", user.id)]
        return self.env[action.res_model].with_user(user).search(domain)

    def _call(self, outcome, **values):
        return (
            self.env["repeat.sales.call"]
            .with_user(self.seller)
            .create({"partner_id": self.customer.id, "outcome": outcome, **values})
        )

    def test_planned_calls_retries_callbacks_and_complaints_appear(self):
        Followup = self.env["repeat.sales.followup"]
        self._due_followup(self.customer, "repeat_sales.followup_step_call_60")
        self._commit_hooks()
        while Followup._run_plan_batch(self.today):
            pass
        planned = self._my_followups(self.seller)
        self.assertEqual(len(planned), 1)
        self.assertEqual(planned.repeat_followup_id.partner_id, self.customer)

        reason = self.env.ref("repeat_sales.call_reason_sale")
        self._call("no_answer")
        self._call(
            "call_back",
            call_reason_id=reason.id,
            callback_date=self.today + timedelta(days=5),
        )
        self._call("complaint", call_reason_id=reason.id, complaint="Broken tiles")
        mine = self._my_followups(self.seller)
        self.assertEqual(len(mine), 3)
        self.assertIn(planned, mine)
        self.assertEqual(
            sorted(mine.mapped("summary")),
            sorted(
                [planned.summary, "Call again (attempt 2 of 3)", "Call back as agreed"]
            ),
        )
        self.assertEqual(
            mine.mapped("date_deadline"), sorted(mine.mapped("date_deadline"))
        )
        complaints = self._my_followups(self.handler)
        self.assertEqual(complaints.mapped("summary"), ["Complaint of Tile House"])
        self.assertFalse(self._my_followups(self.other_seller))

    def test_log_a_call_opens_the_dialog_of_the_planned_call(self):
        """The list's Log a Call opens the call dialog on the planned call
        (its context held the reference field as an object: the dialog
        crashed)."""
        self._call("no_answer")
        [retry] = self._my_followups(self.seller)
        action = retry.with_user(self.seller).action_repeat_sales_log_call()
        self.assertEqual(action["target"], "new")
        Call = (
            self.env[action["res_model"]]
            .with_user(self.seller)
            .with_context(**action["context"])
        )
        defaults = Call.default_get(["partner_id", "activity_id"])
        self.assertEqual(
            defaults, {"partner_id": self.customer.id, "activity_id": retry.id}
        )
        Call.create({"outcome": "wrong_number"})
        self.assertFalse(retry.exists().filtered("active"))
