# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestStampProgramSetup(RepeatSalesCommon):
    """A new stamp program starts as a stamp card, in the customers' tiers."""

    def _program(self, **values):
        return self.env["loyalty.program"].create(
            {
                "name": "Stamps",
                "program_type": "loyalty",
                "repeat_is_stamp_program": True,
                "repeat_stamp_amount": 100.0,
                **values,
            }
        )

    def test_stamp_card_template(self):
        Program = self.env["loyalty.program"]
        templates = Program.get_program_templates()
        self.assertIn("repeat_stamp_card", templates)
        self.assertIn("loyalty", templates, "Odoo's own templates stay offered")
        # From the addon's stamp menu, only the stamp card is offered.
        stamp_menu = Program.with_context(default_repeat_is_stamp_program=True)
        self.assertEqual(
            list(stamp_menu.get_program_templates()), ["repeat_stamp_card"]
        )
        action = stamp_menu.create_from_template("repeat_stamp_card")
        program = Program.browse(action["res_id"])
        self.assertTrue(program.repeat_is_stamp_program)
        self.assertEqual(program.program_type, "loyalty")
        # Only the addon's earning (stamps per amount) and its gifts: no Odoo
        # point rule, no discount.
        self.assertFalse(program.rule_ids)
        self.assertTrue(program.reward_ids)
        self.assertEqual(set(program.reward_ids.mapped("reward_type")), {"product"})
        self.assertEqual(program.reward_ids.repeat_tier_id, program.repeat_tier_ids)
        self.assertEqual(program.repeat_tier_ids.min_spend, 0.0)

    def test_new_stamp_program_without_odoo_defaults(self):
        form = Form(
            self.env["loyalty.program"].with_context(
                default_repeat_is_stamp_program=True, default_program_type="loyalty"
            )
        )
        form.name = "Stamps"
        program = form.save()
        self.assertFalse(program.rule_ids, "no 1 point per currency unit rule")
        # A free product for a full card, not Odoo's 5% discount.
        self.assertEqual(program.reward_ids.mapped("reward_type"), ["product"])
        self.assertEqual(program.reward_ids.required_points, 10)
        self.assertEqual(program.applies_on, "future")

    def test_tiers_increase_with_the_level(self):
        program = self._program(
            repeat_tier_ids=[
                Command.create({"name": "Bronze", "min_spend": 0}),
                Command.create({"name": "Silver", "min_spend": 2000}),
            ]
        )
        with self.assertRaises(ValidationError) as caught:
            program.repeat_tier_ids = [
                Command.create({"name": "Gold", "min_spend": 500})
            ]
        self.assertIn("needs a higher spend than the one below", str(caught.exception))
        self.assertEqual(program.repeat_tier_ids.mapped("name"), ["Bronze", "Silver"])
        # Moved above Silver by its level, Gold at 5,000 is accepted.
        program.repeat_tier_ids = [Command.create({"name": "Gold", "min_spend": 5000})]
        self.assertEqual(
            program.repeat_tier_ids.mapped("name"), ["Bronze", "Silver", "Gold"]
        )

    def test_multiplier_bounds(self):
        program = self._program(
            repeat_tier_ids=[Command.create({"name": "Bronze", "min_spend": 0})]
        )
        tier = program.repeat_tier_ids
        for wrong in (1e9, 10.5, 0, -1):
            with self.assertRaises(ValidationError) as caught:
                tier.stamp_multiplier = wrong
            self.assertIn("more than 0 and at most 10", str(caught.exception))
        tier.stamp_multiplier = 10
        self.assertEqual(tier.stamp_multiplier, 10)

    def test_history_tier_from_the_first_order(self):
        # 3,500 bought before any stamp program exists.
        self._order(self.customer, 30, 3500.0)
        program = self._program(
            repeat_tier_ids=[
                Command.create({"name": "Member", "min_spend": 0}),
                Command.create(
                    {"name": "Gold", "min_spend": 3000, "stamp_multiplier": 2.0}
                ),
            ]
        )
        card = self.env["loyalty.card"].search([("program_id", "=", program.id)])
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(card.repeat_tier_id.name, "Gold")
        self.assertEqual(card.points, 0, "past orders earn no stamps")
        order = self._order(self.customer, 0, 150.0)
        self.assertEqual(order.repeat_stamp_multiplier, 2.0)
        self.assertEqual(card.repeat_stamp_line_ids.stamps, 3)
        self.assertEqual(card.points, 3)

    def test_tiers_added_later_apply_at_once(self):
        self._order(self.customer, 30, 3500.0)
        program = self._program(
            repeat_tier_ids=[Command.create({"name": "Member", "min_spend": 0})]
        )
        program.repeat_tier_ids = [
            Command.create({"name": "Gold", "min_spend": 3000, "stamp_multiplier": 2.0})
        ]
        order = self._order(self.customer, 0, 100.0)
        self.assertEqual(order.repeat_stamp_multiplier, 2.0)
