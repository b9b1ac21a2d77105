# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The nightly chain killed (SIGKILL) inside a step and between two steps,
then run again: the same result as one clean run, nothing done twice."""

from odoo import fields
from odoo.tests import tagged

from ..odoo_processes import OdooProcessCase, pause_script

RUN_CHAIN = (
    "while env['repeat.sales.nightly.step']._cron_run_chain():\n    env.cr.commit()\n"
)


@tagged("post_install", "-at_install")
class TestKilledNightlyChain(OdooProcessCase):
    def setUp(self):
        super().setUp()
        self._nightly_chain_due_without_lasting_steps()

    def _steps_done(self, env):
        today = fields.Date.context_today(env.user)
        steps = env["repeat.sales.nightly.step"].search([])
        return [step.key for step in steps if step.last_run_date == today]

    def _run_to_end(self):
        with self.committed_env() as env:
            while env["repeat.sales.nightly.step"]._cron_run_chain():
                env.cr.commit()

    def test_killed_inside_the_plan(self):
        with self.committed_env() as env:
            partner_ids = self._customers(env, [30, 60, 90] * 3).ids
        script = (
            "from odoo.addons.repeat_sales.models.plan import repeat_sales_followup\n"
            "repeat_sales_followup.BATCH_SIZE = 4\n"
            + pause_script("repeat.sales.followup", "_carry_out", call=2)
            + RUN_CHAIN
        )
        self.run_until_killed(script)
        with self.committed_env() as env:
            self.assertEqual(self._steps_done(env), ["figures", "full_recompute"])
            done = env["repeat.sales.followup"].search_count(
                [("partner_id", "in", partner_ids), ("state", "=", "done")]
            )
            self.assertEqual(done, 4, "the plan's first batch was committed")
        self._run_to_end()
        with self.committed_env() as env:
            self.assertEqual(len(self._steps_done(env)), 6)
        self._check_plan_carried_out_once(partner_ids)

    def test_killed_between_the_plan_and_the_offers(self):
        with self.committed_env() as env:
            partner_ids = self._customers(env, [30, 60, 90]).ids
        script = (
            pause_script("repeat.sales.offer", "_cron_update_offers", before=True)
            + RUN_CHAIN
        )
        self.run_until_killed(script)
        with self.committed_env() as env:
            self.assertEqual(
                self._steps_done(env),
                ["figures", "full_recompute", "plan", "greetings"],
            )
        self._run_to_end()
        with self.committed_env() as env:
            self.assertEqual(len(self._steps_done(env)), 6)
        self._check_plan_carried_out_once(partner_ids)
