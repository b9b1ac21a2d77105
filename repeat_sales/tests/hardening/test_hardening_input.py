# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 24, items 3, 7, 8 and 11: checks on write too, a campaign filter
checked when saved, sensible bounds, and bad values refused by the addon with a
clear message before Odoo or PostgreSQL turn them into a raw error."""

from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .hardening_common import HardeningCommon


@tagged("post_install", "-at_install")
class TestHardeningInput(HardeningCommon):
    def _reminder(self):
        return self.env["mail.activity"].search([("repeat_call_id", "=", self.call.id)])

    def test_promised_date_is_checked_and_followed_on_write(self):
        self.assertEqual(self._reminder().date_deadline, self.today + timedelta(5))
        call = self.call.with_user(self.seller)
        with self.assertRefused(ValidationError, "already past"):
            call.write({"promised_date": self.today - timedelta(days=3)})
        self.assertEqual(self.call.promised_date, self.today + timedelta(days=5))

        call.write({"promised_date": self.today + timedelta(days=12)})
        reminder = self._reminder()
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.date_deadline, self.today + timedelta(days=12))

    def _campaign(self, domain):
        return self.env["repeat.sales.campaign"].create(
            {
                "name": "Filtered",
                "partner_domain": domain,
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )

    def test_campaign_filter_is_checked_when_saved(self):
        Campaign = self.env["repeat.sales.campaign"]
        for domain in (
            "[('no_such_field', '=', 1)]",
            "[('name', '=',",
            "[('name', 'is like', 'x')]",
            "42",
        ):
            with self.subTest(domain=domain):
                with self.assertRefused(ValidationError, "customer filter"):
                    self._campaign(domain)
        self.assertFalse(Campaign.search([("name", "=", "Filtered")]))
        campaign = self._campaign("[('name', 'ilike', 'Tile')]")
        with self.assertRefused(ValidationError, "customer filter"):
            campaign.partner_domain = "[('no_such_field', '=', 1)]"
        # A filter broken behind the dialog's back is refused at start, clearly.
        self.env.cr.execute(
            SQL(
                "UPDATE repeat_sales_campaign SET partner_domain = %s WHERE id = %s",
                "[('no_such_field', '=', 1)]",
                campaign.id,
            )
        )
        campaign.invalidate_recordset()
        with self.assertRefused(ValidationError, "customer filter"):
            campaign.action_start()

    def test_absurd_values_are_refused_with_their_bounds(self):
        values = {
            "name": "Call them",
            "company_id": self.company.id,
            "days": 45,
            "action": "activity",
            "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
        }
        Step = self.env["repeat.sales.followup.step"].with_user(self.manager)
        cases = (
            ({"activity_deadline_days": -100}, "between 0 and 365"),
            ({"days": 100_000}, "at most 3650"),
            ({"name": "x" * 200_000}, "at most 500"),
            ({"note": "<p>" + "x" * 5_000_000 + "</p>"}, "at most 100,000"),
        )
        for extra, message in cases:
            with self.subTest(field=list(extra)):
                with self.assertRefused(ValidationError, message):
                    Step.create(dict(values, **extra))
        with self.assertRefused(ValidationError, "at most 100,000"):
            self.call.with_user(self.seller).write({"note": "x" * 5_000_000})
        self.assertFalse(self.call.note)
        program = self.env["loyalty.program"].create(
            {
                "name": "Stamps",
                "program_type": "loyalty",
                "repeat_is_stamp_program": True,
                "repeat_tier_ids": [Command.create({"name": "Member"})],
            }
        )
        tier = program.repeat_tier_ids.with_user(self.manager)
        with self.assertRefused(ValidationError, "more than 0 and at most 10"):
            tier.stamp_multiplier = 1e9
        self.assertEqual(program.repeat_tier_ids.stamp_multiplier, 1.0)

    @mute_logger("odoo.sql_db")
    def test_values_odoo_would_turn_into_raw_errors(self):
        call = self.call.with_user(self.seller)
        cases = (
            ({"outcome": "maybe"}, "not a choice"),
            ({"promised_date": "2026-13-45"}, "not a valid date"),
            ({"call_date": "yesterday at noon"}, "not a valid date"),
            ({"duration": "abc"}, "not a number"),
            ({"duration": 1e308}, "must be between"),
            ({"duration": float("nan")}, "must be between"),
            ({"note": "before\x00after"}, "NUL"),
        )
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRefused(ValidationError, message):
                    call.write(values)
        self.assertEqual(self.call.outcome, "will_order")
        self.assertFalse(self.call.duration)

        # An import of the same values gets the same messages, nothing written.
        Call = self.env["repeat.sales.call"].with_user(self.seller)
        before = Call.search_count([])
        result = Call.load(
            ["partner_id/.id", "outcome", "duration", "note"],
            [[str(self.customer.id), "wrong_number", "1e308", "a\x00b"]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(Call.search_count([]), before)
        self.assertTrue(result["messages"])
