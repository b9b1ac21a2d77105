# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyHistory(RepeatSalesLoyaltyCommon):
    """Stamps go through Odoo's loyalty: its cards, its history, its e-mails."""

    def _card_template(self):
        # Odoo's own card template attaches a barcode PDF: not what is tested.
        return self.env["mail.template"].create(
            {
                "name": "Stamp news",
                "model_id": self.env["ir.model"]._get_id("loyalty.card"),
                "subject": "Your stamps: {{ object.points }}",
                "email_from": "shop@example.com",
                "partner_to": "{{ object.partner_id.id }}",
                "body_html": "<p>You have <t t-out='object.points'/> stamps.</p>",
            }
        )

    def test_card_made_by_odoo(self):
        self._order(self.customer, 0, 300.0)
        card = self._card()
        self.assertEqual(len(card), 1)
        # Odoo's code scheme (``_generate_code``), not the addon's own.
        self.assertRegex(card.code, r"^044[0-9a-f]-[0-9a-f]{4}-[0-9a-f]{4}$")
        self.assertEqual(card.points, 3)

    def test_every_movement_in_the_loyalty_history(self):
        first = self._order(self.customer, 0, 340.0)
        second = self._order(self.customer, 0, 60.0)
        second._action_cancel()
        card = self._card()
        card.env.invalidate_all()
        lines = card.repeat_stamp_line_ids.sorted("id")
        self.assertEqual(
            [(line.kind, line.stamps) for line in lines],
            [("earn", 3), ("earn", 1), ("reverse", -1)],
        )
        history = card.history_ids.sorted("id")
        self.assertEqual(history, lines.history_id.sorted("id"))
        self.assertEqual(
            [(h.issued, h.used, h.order_model, h.order_id) for h in history],
            [
                (3, 0, "sale.order", first.id),
                (1, 0, "sale.order", second.id),
                (0, 1, "sale.order", second.id),
            ],
        )
        self.assertIn(first.name, history[0].description)
        # The customer's loyalty history (Odoo's partner view) shows them all.
        shown = self.env["loyalty.history"].search(
            [("card_id.partner_id", "=", self.customer.id)]
        )
        self.assertEqual(shown, history)
        self.assertEqual(sum(shown.mapped("issued")) - sum(shown.mapped("used")), 3)
        self.assertEqual(card.points, 3)

    def test_adjustment_in_the_history(self):
        card = self._give_stamps(4)
        self.assertEqual(
            card.history_ids.description, "Manual Adjustment: Opening balance"
        )
        self.assertEqual(card.history_ids.issued, 4)

    def test_odoo_mail_when_points_reached(self):
        self.customer.email = "tiles@example.com"
        template = self._card_template()
        self.program.communication_plan_ids = [
            Command.clear(),
            Command.create(
                {
                    "trigger": "points_reach",
                    "points": 5,
                    "mail_template_id": template.id,
                }
            ),
        ]
        self._order(self.customer, 0, 300.0)
        card = self._card()
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
        )
        self.assertFalse(mails, "3 stamps do not reach the 5-stamp milestone")
        self._order(self.customer, 0, 250.0)
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn(self.customer, mails.recipient_ids)
        self.assertTrue(mails.mail_message_id)
        self.assertEqual(mails.mail_message_id.model, "loyalty.card")

    def test_odoo_mail_when_the_card_is_created(self):
        self.customer.email = "tiles@example.com"
        template = self._card_template()
        self.program.communication_plan_ids = [
            Command.clear(),
            Command.create({"trigger": "create", "mail_template_id": template.id}),
        ]
        self._order(self.customer, 0, 300.0)
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", self._card().id)]
        )
        self.assertEqual(len(mails), 1)
        # No communication planned, no e-mail.
        other = self.env["res.partner"].create(
            {"name": "Quiet", "email": "quiet@example.com"}
        )
        self.program.communication_plan_ids = [Command.clear()]
        self._order(other, 0, 300.0)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "=", self._card(other).id)]
            )
        )

    def test_every_line_has_its_cause(self):
        card = self._give_stamps(2)
        Line = self.Line.with_user(
            self._user("rs_cause_manager", "sales_team.group_sale_manager")
        )
        count = self.Line.search_count([])
        for kind in ("earn", "reverse", "redeem", "return"):
            with self.assertRefused(ValidationError, "come from an order"):
                Line.create({"card_id": card.id, "kind": kind, "stamps": 1})
        with self.assertRefused(ValidationError, "Expired stamps need a reason"):
            Line.create({"card_id": card.id, "kind": "expire", "stamps": -1})
        self.assertEqual(self.Line.search_count([]), count)
        self.assertEqual(self._balance(), 2)
