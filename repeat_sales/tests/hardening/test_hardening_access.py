# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 24, items 1, 2 and 9: company consistency, derived figures, and an
access error that tells nothing about what another company holds."""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .hardening_common import HardeningCommon


@tagged("post_install", "-at_install")
class TestHardeningAccess(HardeningCommon):
    def test_call_stays_in_its_company(self):
        call = self.call.with_user(self.seller)
        with self.assertRaises(AccessError):
            call.write(
                {
                    "company_id": self.other_company.id,
                    "partner_id": self.other_customer.id,
                }
            )
        with self.assertRaises(UserError):
            call.write({"partner_id": self.other_customer.id})
        self.assertEqual(call.company_id, self.company)
        self.assertEqual(call.partner_id, self.customer)
        with self.assertRaises(AccessError):
            self.env["repeat.sales.call"].with_user(self.seller).create(
                {
                    "partner_id": self.other_customer.id,
                    "company_id": self.other_company.id,
                    "outcome": "wrong_number",
                }
            )

    def test_offers_followups_and_members_stay_in_their_company(self):
        offer = self.offer.with_user(self.seller)
        with self.assertRaises(AccessError):
            offer.write({"company_id": self.other_company.id})
        with self.assertRaises(UserError):
            offer.write({"partner_id": self.other_customer.id})
        self.assertEqual(
            (offer.company_id, offer.partner_id), (self.company, self.customer)
        )

        followup = self._due_followup(
            self.customer, "repeat_sales.followup_step_call_60"
        )
        with self.assertRaises(UserError):
            followup.with_user(self.manager).write(
                {"partner_id": self.other_customer.id}
            )

        campaign = self.env["repeat.sales.campaign"].create(
            {
                "name": "Spring",
                "action": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        member = self.env["repeat.sales.campaign.member"].create(
            {
                "campaign_id": campaign.id,
                "company_id": self.company.id,
                "partner_id": self.customer.id,
                "member_group": "treated",
                "contact_state": "pending",
            }
        )
        with self.assertRaises(UserError):
            member.with_user(self.manager).write({"partner_id": self.other_customer.id})
        with self.assertRaises(AccessError):
            member.with_user(self.manager).write({"company_id": self.other_company.id})
        self.assertEqual(member.partner_id, self.customer)

    def test_derived_figures_cannot_be_written_by_hand(self):
        other_order = self._order(self.other_customer, 1, 10.0, self.other_company)
        offer = self.offer.with_user(self.seller)
        for values in (
            {"state": "won"},
            {"won_amount": 1e9},
            {"won_order_id": other_order.id},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                offer.write(values)
        with self.assertRaises(UserError):
            self.offer.with_user(self.manager).write(
                {"state": "won", "won_amount": 1e9}
            )
        self.assertEqual(self.offer.state, "proposed")
        self.assertFalse(self.offer.won_amount)
        report = self.env["repeat.sales.offer.report"].search(
            [("offer_id", "=", self.offer.id)]
        )
        self.assertEqual((report.state, report.won_amount), ("proposed", 0.0))

        call = self.call.with_user(self.seller)
        for values in (
            {"won": True},
            {"won_amount": 1e9},
            {"order_ids": [Command.link(other_order.id)]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                call.write(values)
        self.assertFalse(self.call.won)
        self.assertFalse(self.call.won_amount)

        # The addon still wins the offer from a real order.
        self.offer.action_mark_sent()
        order = self._order(self.customer, 0, 80.0)
        self.assertEqual(self.offer.state, "won")
        self.assertEqual(self.offer.won_order_id, order)
        with self.assertRaises(UserError):
            self.offer.with_user(self.seller).write({"state": "declined"})

    @mute_logger("odoo.sql_db", "odoo.models.unlink")
    def test_rule_in_another_company_gives_one_access_error(self):
        grout, filler = self.env["product.product"].create(
            [{"name": "Grout"}, {"name": "Filler"}]
        )
        values = {
            "kind": "manual",
            "company_id": self.other_company.id,
            "product_id": self.product.id,
            "target_product_id": grout.id,
            "delay_days": 10,
            "confidence": 0.5,
        }
        self.env["repeat.sales.offer.rule"].create(values)
        Rule = self.env["repeat.sales.offer.rule"].with_user(self.manager)
        with self.assertRaises(AccessError) as existing:
            Rule.create(values)
        with self.assertRaises(AccessError) as new:
            Rule.create(dict(values, target_product_id=filler.id))
        self.assertEqual(str(existing.exception), str(new.exception))
        self.assertNotIn("exists already", str(existing.exception))
