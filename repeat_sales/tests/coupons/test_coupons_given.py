# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .coupon_common import CouponCommon


@tagged("post_install", "-at_install")
class TestCouponsGiven(CouponCommon):
    """A step, a campaign and a call give each customer they reach one
    personal coupon of Odoo's loyalty, its code in the e-mail or the note."""

    def test_step_gives_each_customer_one_coupon_with_its_code_in_the_email(self):
        ann = self._customer("Ann Tiles", 30)
        bob = self._customer("Bob Bricks", 30)
        blocked = self._customer("Cut Off", 30)
        self.env["mail.blacklist"].create({"email": blocked.email})
        lost = self._customer("Gone Away", 30)
        lost.repeat_lost_date = self.today - timedelta(days=5)
        self.step.call_when_no_email = False
        self._run_plan()
        cards = self._cards(ann | bob | blocked | lost)
        self.assertEqual(cards.partner_id, ann | bob, "no coupon to those skipped")
        for card in cards:
            self.assertEqual(card.expiration_date, self.today + timedelta(days=14))
            self.assertEqual(card.points, 1)
            self.assertEqual(card.repeat_coupon_state, "valid")
            self.assertEqual(card.repeat_user_id, self.seller)
            self.assertEqual(card.repeat_step_id, self.step)
            self.assertTrue(card.code.startswith("044"), "Odoo's own code")
            message = self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", card.partner_id.id),
                    ("message_type", "=", "notification"),
                ]
            )
            self.assertEqual(len(message), 1)
            self.assertIn(card.code, message.body)
            self.assertIn("<b>Your personal coupon", message.body, "HTML, not text")
            self.assertIn("For an order of at least", message.body)
            other = (cards - card).code
            self.assertNotIn(other, message.body, "each their own code")
        skipped = self.Followup.search([("partner_id", "in", (blocked | lost).ids)])
        self.assertEqual(skipped.mapped("state"), ["skipped", "skipped"])

    def test_a_call_instead_of_the_email_carries_the_coupon_in_its_note(self):
        blocked = self._customer("Cut Off", 30)
        self.env["mail.blacklist"].create({"email": blocked.email})
        self.step.call_when_no_email = True
        self._run_plan()
        card = self._cards(blocked)
        activity = self.Followup.search([("partner_id", "=", blocked.id)]).activity_ids
        self.assertEqual(len(card), 1)
        self.assertIn(card.code, activity.note)

    def test_rerun_and_a_step_carried_out_again_give_no_second_coupon(self):
        ann = self._customer("Ann Tiles", 30)
        self._run_plan()
        followup = self.Followup.search([("partner_id", "=", ann.id)])
        code = self._cards(ann).code
        self._run_plan()
        followup.state = "pending"  # as if the batch were carried out again
        followup._carry_out()
        self.assertEqual(self._cards(ann).code, code)
        self.assertEqual(len(self._cards(ann)), 1)
        # The key itself refuses a second card of the same follow-up.
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Card.create(
                    {
                        "program_id": self.program.id,
                        "partner_id": ann.id,
                        "repeat_followup_id": followup.id,
                    }
                )
                self.env.flush_all()

    def test_campaign_gives_coupons_to_the_treated_only_in_the_activity_note(self):
        customers = self.env["res.partner"].browse(
            [self._customer(f"Sleeper {n}", 200).id for n in range(4)]
        )
        campaign = self.env["repeat.sales.campaign"].create(
            {
                "name": "Spring",
                "segment": "sleeping",
                "partner_domain": repr([("id", "in", customers.ids)]),
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "control_share": 50.0,
                "seed": 7,
                "coupon_program_id": self.program.id,
                "coupon_validity_days": 30,
            }
        )
        self._commit_hooks()
        campaign.action_start()
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        treated = campaign.member_ids.filtered(lambda m: m.member_group == "treated")
        self.assertEqual(len(treated), 2)
        cards = self._cards(customers)
        self.assertEqual(cards.partner_id, treated.partner_id)
        self.assertEqual(cards.repeat_campaign_id, campaign)
        for card in cards:
            self.assertEqual(card.expiration_date, self.today + timedelta(days=30))
            activity = self.env["mail.activity"].search(
                [("repeat_campaign_member_id", "=", card.repeat_campaign_member_id.id)]
            )
            self.assertIn(card.code, activity.note)

    def test_a_reached_call_gives_its_coupon_and_notes_the_code(self):
        customer = self._customer("Caller Co", 150)
        Call = self.env["repeat.sales.call"].with_user(self.seller)
        reason = self.env.ref("repeat_sales.call_reason_sale")
        unanswered = Call.create(
            {
                "partner_id": customer.id,
                "outcome": "no_answer",
                "coupon_program_id": self.program.id,
                "coupon_validity_days": 7,
            }
        )
        self.assertFalse(unanswered.repeat_coupon_ids, "nobody answered: no coupon")
        call = Call.create(
            {
                "partner_id": customer.id,
                "outcome": "will_order",
                "call_reason_id": reason.id,
                "promised_date": self.today + timedelta(days=3),
                "coupon_program_id": self.program.id,
                "coupon_validity_days": 7,
            }
        )
        card = call.repeat_coupon_ids
        self.assertEqual(len(card), 1)
        self.assertEqual(card.expiration_date, self.today + timedelta(days=7))
        self.assertEqual(card.repeat_user_id, self.seller)
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", customer.id)], limit=1
        )
        self.assertIn(card.code, note.body)
        # The next call's dialog shows the customer's valid coupon.
        dialog = Call.new({"partner_id": customer.id})
        self.assertEqual(dialog.customer_coupon_ids.ids, card.ids)
        # And the customer's smart button counts it.
        self.assertEqual(customer.with_user(self.seller).repeat_coupon_count, 1)

    def test_the_offer_is_checked(self):
        promotion = self.env["loyalty.program"].create(
            {"name": "Automatic", "program_type": "promotion"}
        )
        with self.assertRaisesRegex(ValidationError, "not a coupon program"):
            self.step.copy({"coupon_program_id": promotion.id})
        with self.assertRaisesRegex(ValidationError, "1 to 3650 days"):
            self.step.copy({"coupon_validity_days": 0})
        _outsider, other_company = self._outsider("rs_coupon_outsider", "Elsewhere")
        foreign = self.program.copy({"company_id": other_company.id})
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.step.copy({"coupon_program_id": foreign.id})
