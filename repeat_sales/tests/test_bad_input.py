# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input: refused with a clear message in the user's language, or stored
inertly and shown escaped; nothing half-written."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RepeatSalesCommon

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
SQL_LIKE = "Robert'); DROP TABLE res_partner; --"
HUGE = "x" * 100_000


@tagged("post_install", "-at_install")
class TestBadInput(RepeatSalesCommon):
    def _load(self, model, fields_, rows):
        """Import CSV rows as the import dialog does; return (ids, messages)."""
        before = self.env[model].with_context(active_test=False).search_count([])
        # A row without its required customer fails in PostgreSQL, which logs it.
        with mute_logger("odoo.sql_db"):
            result = self.env[model].load(fields_, rows)
        if not result["ids"]:
            after = self.env[model].with_context(active_test=False).search_count([])
            self.assertEqual(after, before, "a refused import wrote nothing")
        return result["ids"], [message["message"] for message in result["messages"]]

    def test_csv_imports_refuse_wrong_types_ranges_and_references(self):
        cases = [
            (
                "repeat.sales.followup.step",
                ["name", "days", "action", "activity_type_id"],
                [["Call", "soon", "activity", "Call"]],
                "soon",
            ),
            (
                "repeat.sales.followup.step",
                ["name", "days", "action", "activity_type_id"],
                [
                    ["Fine", "10", "activity", "Call"],
                    ["Negative", "-5", "activity", "Call"],
                ],
                "negative",
            ),
            (
                "repeat.sales.followup.step",
                ["name", "days", "action"],
                [["Unknown action", "10", "fax"]],
                "fax",
            ),
            (
                "repeat.sales.call.reason",
                ["name", "company_id"],
                [["Spring sale", "No Such Company"]],
                "No Such Company",
            ),
            (
                "repeat.sales.call",
                ["partner_id", "outcome"],
                [["Nobody Known", "no_answer"]],
                "Nobody Known",
            ),
            (
                "repeat.sales.call",
                ["partner_id", "outcome", "duration"],
                [[self.customer.name, "no_answer", "-3"]],
                "negative",
            ),
        ]
        for model, fields_, rows, hint in cases:
            with self.subTest(model=model, rows=rows):
                ids, messages = self._load(model, fields_, rows)
                self.assertFalse(ids)
                self.assertTrue(messages)
                self.assertIn(hint.lower(), " ".join(messages).lower())

    def test_hostile_names_are_stored_as_given_and_huge_ones_refused(self):
        ids, messages = self._load(
            "repeat.sales.lost.reason",
            ["name"],
            [[SQL_LIKE], [HOSTILE]],
        )
        self.assertEqual(messages, [])
        reasons = self.env["repeat.sales.lost.reason"].browse(ids)
        self.assertEqual(reasons.mapped("name"), [SQL_LIKE, HOSTILE])
        self.assertTrue(self.env["res.partner"].search_count([]))
        ids, messages = self._load("repeat.sales.lost.reason", ["name"], [[HUGE]])
        self.assertFalse(ids)
        self.assertIn("at most 500", " ".join(messages))

    def test_script_in_html_is_removed_and_in_text_escaped(self):
        step = self.env["repeat.sales.followup.step"].create(
            {
                "name": "Hostile",
                "company_id": self.company.id,
                "days": 10,
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "note": f"<p>Call them</p>{HOSTILE}",
            }
        )
        self.assertIn("Call them", step.note)
        self.assertNotIn("<script", step.note)
        self.assertNotIn("onerror", step.note)
        manager = self._user("rs_bad_manager", "sales_team.group_sale_manager")
        self.company.repeat_complaint_user_id = manager
        call = self.env["repeat.sales.call"].create(
            {
                "partner_id": self.customer.id,
                "outcome": "complaint",
                "call_reason_id": self.env.ref("repeat_sales.call_reason_sale").id,
                "complaint": HOSTILE,
                "note": HOSTILE,
            }
        )
        self.assertEqual(call.note, HOSTILE, "plain text is kept as typed")
        activity = self.customer.activity_ids.filtered(
            lambda act: act.user_id == manager
        )
        self.assertIn("&lt;script&gt;", activity.note)
        self.assertNotIn("<script", activity.note)

    def test_refusal_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["repeat_sales"], ["ru_RU"])
        Step = self.env["repeat.sales.followup.step"].with_context(lang="ru_RU")
        values = {
            "name": "Wrong",
            "company_id": self.company.id,
            "days": -1,
            "action": "activity",
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
        }
        with self.assertRaisesRegex(ValidationError, "отрицательное число дней"):
            Step.create(values)
        with self.assertRaisesRegex(ValidationError, "negative number of days"):
            Step.with_context(lang="en_US").create(values)
