# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The plan's run giving coupons killed (SIGKILL) in the middle of a batch,
then run again: each customer has exactly one coupon, the one in their e-mail."""

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..odoo_processes import OdooProcessCase, pause_script


@tagged("post_install", "-at_install")
class TestCouponsKilled(OdooProcessCase):
    def test_plan_killed_half_way_gives_each_customer_one_coupon(self):
        with self.committed_env() as env:
            partner_ids = self._customers(env, [30] * 6).ids
            program = env["loyalty.program"].create(
                {
                    "name": f"Kill coupon {self.tag}",
                    "program_type": "coupons",
                    "reward_ids": [
                        Command.create({"reward_type": "discount", "discount": 10})
                    ],
                }
            )
            program_id = program.id
            env.ref("repeat_sales.followup_step_offer_email").write(
                {"coupon_program_id": program_id, "coupon_validity_days": 14}
            )
        self.addCleanup(self._delete_program, program_id)
        script = (
            "from odoo.addons.repeat_sales.models.plan import repeat_sales_followup\n"
            "repeat_sales_followup.BATCH_SIZE = 3\n"
            + pause_script("repeat.sales.followup", "_carry_out", call=2)
            + "today = odoo.fields.Date.context_today(env.user)\n"
            "while env['repeat.sales.followup']._run_plan_batch(today):\n"
            "    env.cr.commit()\n"
        )
        self.run_until_killed(script)
        with self.committed_env() as env:
            Card = env["loyalty.card"]
            given = Card.search_count([("program_id", "=", program_id)])
            self.assertEqual(given, 3, "the first batch was committed, not the second")
            Followup = env["repeat.sales.followup"]
            while Followup._run_plan_batch(fields.Date.context_today(Followup)):
                env.cr.commit()
            Followup._run_plan_batch(fields.Date.context_today(Followup))
        self._check_plan_carried_out_once(partner_ids)
        with self.committed_env() as env:
            cards = env["loyalty.card"].search([("program_id", "=", program_id)])
            self.assertEqual(sorted(cards.partner_id.ids), sorted(partner_ids))
            self.assertEqual(len(cards), 6, "one coupon each, not two")
            for card in cards:
                mail = env["mail.message"].search(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "=", card.partner_id.id),
                        ("subtype_id", "=", env.ref("mail.mt_comment").id),
                    ]
                )
                self.assertIn(card.code, mail.body)

    def _delete_program(self, program_id):
        with self.committed_env() as env:
            env.ref("repeat_sales.followup_step_offer_email").coupon_program_id = False
            env.cr.execute(
                SQL(
                    """
                    DELETE FROM mail_message
                     WHERE model = 'loyalty.card' AND res_id IN (
                           SELECT id FROM loyalty_card
                            WHERE program_id = %(program)s);
                    DELETE FROM loyalty_card WHERE program_id = %(program)s;
                    DELETE FROM loyalty_program WHERE id = %(program)s;
                    """,
                    program=program_id,
                )
            )
