# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scheduled actions killed (SIGKILL) in the middle of a batch, then rerun.

Each test commits its own customers, runs the action in a real ``odoo-bin
shell`` process that prints ``MIDBATCH`` once half of the work is done (and
not committed), kills it there, reruns the action normally and checks the
database holds exactly what one clean run gives: nothing missing, nothing
twice.
"""

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .odoo_processes import OdooProcessCase, pause_script


@tagged("post_install", "-at_install")
class TestKilledCrons(OdooProcessCase):
    def test_follow_up_plan(self):
        with self.committed_env() as env:
            partners = self._customers(env, [30, 60, 90] * 3)
            partner_ids = partners.ids
        script = (
            "from odoo.addons.repeat_sales.models.plan import repeat_sales_followup\n"
            "repeat_sales_followup.BATCH_SIZE = 4\n"
            + pause_script("repeat.sales.followup", "_carry_out", call=2)
            + "today = odoo.fields.Date.context_today(env.user)\n"
            "while env['repeat.sales.followup']._run_plan_batch(today):\n"
            "    env.cr.commit()\n"
        )
        self.run_until_killed(script)
        with self.committed_env() as env:
            Followup = env["repeat.sales.followup"]
            done = Followup.search_count(
                [("partner_id", "in", partner_ids), ("state", "=", "done")]
            )
            self.assertEqual(done, 4, "the first batch was committed, not the second")
            while Followup._run_plan_batch(fields.Date.context_today(Followup)):
                env.cr.commit()
        self._check_plan_carried_out_once(partner_ids)

    def test_campaign_contacts(self):
        with self.committed_env() as env:
            partners = self._customers(env, [200] * 12)
            template = env["mail.template"].create(
                {
                    "name": f"Kill test {self.tag}",
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "subject": f"Come back {self.tag}",
                    "body_html": "<p>We miss you.</p>",
                }
            )
            campaign = env["repeat.sales.campaign"].create(
                {
                    "name": f"Kill test {self.tag}",
                    "partner_domain": repr([("id", "in", partners.ids)]),
                    "mail_template_id": template.id,
                }
            )
            campaign.action_start()
            campaign_id, partner_ids = campaign.id, partners.ids
        self.addCleanup(self._delete_campaign, campaign_id, template.id)
        script = (
            "from odoo.addons.repeat_sales.models.campaigns import "
            "repeat_sales_campaign\n"
            "repeat_sales_campaign.BATCH_SIZE = 2\n"
            + pause_script("repeat.sales.campaign.member", "_contact", call=2)
            + "for _run in range(10):\n"
            "    env['repeat.sales.campaign']._cron_run_campaigns()\n"
            "    env.cr.commit()\n"
        )
        self.run_until_killed(script)
        with self.committed_env() as env:
            for _run in range(10):
                env["repeat.sales.campaign"]._cron_run_campaigns()
                env.cr.commit()
        with self.committed_env() as env:
            members = env["repeat.sales.campaign"].browse(campaign_id).member_ids
            self.assertEqual(sorted(members.partner_id.ids), sorted(partner_ids))
            for member in members:
                mails = env["mail.message"].search_count(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "=", member.partner_id.id),
                        ("subject", "=", f"Come back {self.tag}"),
                    ]
                )
                expected = 1 if member.member_group == "treated" else 0
                self.assertEqual(mails, expected, member.partner_id.name)
            self.assertEqual(
                set(members.mapped("contact_state")), {"contacted", "none"}
            )

    def _delete_campaign(self, campaign_id, template_id):
        with self.committed_env() as env:
            env["repeat.sales.campaign"].browse(campaign_id).unlink()
            env["mail.template"].browse(template_id).unlink()

    def test_segment_snapshot(self):
        with self.committed_env() as env:
            self._customers(env, [10, 60, 60, 200])
            today = fields.Date.context_today(env.user)
            company_id = env.ref("base.main_company").id
        self.addCleanup(self._delete_snapshots, today, company_id)
        self.run_until_killed(
            pause_script("repeat.sales.segment.snapshot", "_take")
            + "env['repeat.sales.segment.snapshot']._cron_take_snapshot()\n"
            "env.cr.commit()\n"
        )
        with self.committed_env() as env:
            Snapshot = env["repeat.sales.segment.snapshot"]
            self.assertFalse(Snapshot.search([("date", "=", today)]))
            Snapshot._cron_take_snapshot()
            env.cr.commit()
            Snapshot._cron_take_snapshot()
        with self.committed_env() as env:
            rows = env["repeat.sales.segment.snapshot"]._read_group(
                [("date", "=", today), ("company_id", "=", company_id)],
                ["segment"],
                ["customer_count:sum"],
            )
            self.assertEqual(dict(rows), {"hot": 1, "warm": 2, "sleeping": 1})

    def _delete_snapshots(self, day, company_id):
        with self.committed_env() as env:
            env.cr.execute(
                SQL(
                    """
                    DELETE FROM repeat_sales_segment_snapshot
                     WHERE date = %(day)s AND company_id = %(company)s;
                    DELETE FROM repeat_sales_segment_move
                     WHERE date = %(day)s AND company_id = %(company)s;
                    """,
                    day=day,
                    company=company_id,
                )
            )

    def test_full_recompute(self):
        with self.committed_env() as env:
            partners = self._customers(env, [5, 50, 500], amount=70.0)
            partner_ids = partners.ids
        with self.committed_env() as env:
            # Wrong figures that only a recompute repairs.
            env.cr.execute(
                SQL(
                    """UPDATE repeat_sales_partner_stat
                          SET order_count = 9, revenue = 1
                        WHERE partner_id = ANY(%s)""",
                    partner_ids,
                )
            )
        self.run_until_killed(
            pause_script("repeat.sales.partner.stat", "_store_fresh_figures")
            + "env['repeat.sales.partner.stat']._cron_recompute_all()\n"
            "env.cr.commit()\n"
        )
        with self.committed_env() as env:
            Stat = env["repeat.sales.partner.stat"]
            stats = Stat.search([("partner_id", "in", partner_ids)])
            self.assertEqual(set(stats.mapped("order_count")), {9}, "nothing written")
            Stat._cron_recompute_all()
        with self.committed_env() as env:
            stats = env["repeat.sales.partner.stat"].search(
                [("partner_id", "in", partner_ids)]
            )
            self.assertEqual(
                sorted((s.order_count, s.revenue, s.segment) for s in stats),
                [(1, 70.0, "hot"), (1, 70.0, "sleeping"), (1, 70.0, "warm")],
            )
