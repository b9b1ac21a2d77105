# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrent work on real PostgreSQL connections, from real Odoo processes."""

import os
import tempfile
from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .. import compat
from .odoo_processes import OdooProcessCase, pause_script

WAIT_FOR_FILE = """
import os, time
import psycopg2
def wait_for_file(path):
    while not os.path.exists(path):
        time.sleep(0.05)
"""

# Confirm an order, hold the transaction open until ``go`` exists, commit;
# on a serialization failure start again, as Odoo's RPC layer does.
CONFIRM = (
    WAIT_FOR_FILE
    + """
go = {go!r}
for attempt in range(10):
    try:
        env["sale.order"].browse({order_id}).action_confirm()
        env.cr.flush()
        print("CONFIRMED", flush=True)
        if go:
            wait_for_file(go)
        env.cr.commit()
        print("COMMITTED", attempt, flush=True)
        break
    except psycopg2.errors.SerializationFailure:
        env.cr.rollback()
        env.invalidate_all()
        go = None
"""
)

# Acquire the job ``cron_id`` and process it as a cron worker does.
RUN_CRON_JOB = """
import odoo
from odoo.addons.repeat_sales import compat
db = odoo.sql_db.db_connect(env.cr.dbname)
with db.cursor() as cron_cr:
    job = env.registry["ir.cron"]._acquire_one_job(cron_cr, {cron_id})
    if job:
        compat.process_cron_job(env.registry, cron_cr, job)
        print("PROCESSED", flush=True)
    else:
        print("SKIPPED", flush=True)
"""


@tagged("post_install", "-at_install")
class TestConcurrency(OdooProcessCase):
    def setUp(self):
        super().setUp()
        self.go = os.path.join(tempfile.mkdtemp(), "go")
        self.addCleanup(lambda: os.path.exists(self.go) and os.remove(self.go))
        self.addCleanup(lambda: open(self.go, "w").close())

    def _customer_with_orders(self, env, confirmed=1, drafts=0):
        product = self._products(env, "Race", price=40.0)
        partner = env["res.partner"].create(
            {"name": f"Race {self.tag}", "is_company": True}
        )
        self.addCleanup(self._delete_partners, partner.ids)
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for _index in range(confirmed + drafts)
            ]
        )
        orders[:confirmed].action_confirm()
        return partner, orders[confirmed:]

    def _figures(self, partner_id):
        with self.committed_env() as env:
            stat = env["repeat.sales.partner.stat"].search(
                [("partner_id", "=", partner_id)]
            )
            return stat.order_count, stat.revenue

    def test_two_orders_of_one_customer_confirmed_in_parallel(self):
        with self.committed_env() as env:
            partner, drafts = self._customer_with_orders(env, confirmed=1, drafts=2)
            partner_id, order_ids = partner.id, drafts.ids
        first = self.start_odoo(CONFIRM.format(go=self.go, order_id=order_ids[0]))
        second = self.start_odoo(CONFIRM.format(go=self.go, order_id=order_ids[1]))
        # Both transactions are open: each has confirmed its order, or one
        # waits for a row the other holds. Then let them commit.
        self.wait_for(first, "CONFIRMED", or_blocked=True)
        self.wait_for(second, "CONFIRMED", or_blocked=True)
        open(self.go, "w").close()
        self.finish(first)
        self.finish(second)
        self.assertEqual(self._figures(partner_id), (3, 120.0))

    def test_order_confirmed_while_the_full_recompute_runs(self):
        with self.committed_env() as env:
            partner, drafts = self._customer_with_orders(env, confirmed=1, drafts=1)
            partner_id, order_id = partner.id, drafts.id
        with self.committed_env() as env:
            # Stale figures: the recompute rewrites (and locks) this row.
            env.cr.execute(
                SQL(
                    "UPDATE repeat_sales_partner_stat SET order_count = 9 "
                    "WHERE partner_id = %s",
                    partner_id,
                )
            )
        recompute = self.start_odoo(
            pause_script(
                "repeat.sales.partner.stat", "_store_fresh_figures", until=self.go
            )
            + 'env["repeat.sales.partner.stat"]._cron_recompute_all()\n'
            "env.cr.commit()\n"
            'print("RECOMPUTED", flush=True)\n'
        )
        self.wait_for(recompute, "MIDBATCH")
        confirm = self.start_odoo(CONFIRM.format(go=None, order_id=order_id))
        # The confirmation waits for the row the recompute holds.
        self.wait_until_blocked()
        open(self.go, "w").close()
        self.wait_for(recompute, "RECOMPUTED")
        self.finish(recompute)
        self.finish(confirm)
        self.assertEqual(self._figures(partner_id), (2, 80.0))

    def test_two_cron_workers_run_the_plan_once(self):
        # The plan runs inside the nightly chain.
        self._nightly_chain_due_without_lasting_steps()
        with self.committed_env() as env:
            today = fields.Date.context_today(env.user)
            partner, _drafts = self._customer_with_orders(env, confirmed=1)
            partner.sale_order_ids.date_order = fields.Datetime.to_datetime(
                today - timedelta(days=60)
            )
            partner_id = partner.id
            cron = env.ref("repeat_sales.ir_cron_repeat_sales_nightly")
            cron.nextcall = fields.Datetime.now() - timedelta(minutes=1)
            cron_id = cron.id
        worker = (
            WAIT_FOR_FILE
            + f"""
cls = type(env["repeat.sales.followup"])
original = cls._cron_run_plan
def slow(self):
    print("RAN", flush=True)
    time.sleep(3)
    return original(self)
cls._cron_run_plan = slow
env.cr.commit()
wait_for_file({self.go!r})
"""
            + RUN_CRON_JOB.format(cron_id=cron_id)
        )
        workers = [self.start_odoo(worker), self.start_odoo(worker)]
        open(self.go, "w").close()
        outputs = [self.finish(process) for process in workers]
        self.assertEqual(
            sorted(
                line
                for output in outputs
                for line in output.split()
                if line in ("RAN", "PROCESSED", "SKIPPED")
            ),
            ["PROCESSED", "RAN", "SKIPPED"],
        )
        with self.committed_env() as env:
            followups = env["repeat.sales.followup"].search(
                [("partner_id", "=", partner_id)]
            )
            self.assertEqual(len(followups), 1)
            self.assertEqual(len(followups.partner_id.activity_ids), 1)

    def test_serialization_failure_mid_batch(self):
        """The plan's cron job runs in batches of 4 for 9 customers.

        The second batch's transaction has read its pending follow-ups when
        another transaction updates one of them (its write date only, as any
        edit of the record would) and commits. The batch then sends its
        e-mails and schedules its activities, and writing the follow-ups gets
        PostgreSQL's serialization failure (REPEATABLE READ): all of the batch
        is rolled back. The next run carries out what is left, once.
        """
        self._nightly_chain_due_without_lasting_steps()
        with self.committed_env() as env:
            partner_ids = self._customers(env, [30, 60, 90] * 3).ids
            cron = env.ref("repeat_sales.ir_cron_repeat_sales_nightly")
            cron.nextcall = fields.Datetime.now() - timedelta(minutes=1)
            cron_id, failures = cron.id, cron.failure_count
        worker = self.start_odoo(
            "import psycopg2\n"
            "from odoo.addons.repeat_sales.models.plan import repeat_sales_followup\n"
            "repeat_sales_followup.BATCH_SIZE = 4\n"
            + pause_script(
                "repeat.sales.followup",
                "_carry_out",
                call=2,
                before=True,
                until=self.go,
            )
            + """
cls = type(env["repeat.sales.followup"])
run_plan = cls._cron_run_plan
def watched(self):
    try:
        remaining = run_plan(self)
        self.env.flush_all()
        return remaining
    except psycopg2.errors.SerializationFailure:
        print("SERIALIZATION FAILURE", flush=True)
        raise
cls._cron_run_plan = watched
"""
            + RUN_CRON_JOB.format(cron_id=cron_id)
        )
        self.wait_for(worker, "MIDBATCH")
        with self.committed_env() as env:
            env.cr.execute(
                SQL(
                    """UPDATE repeat_sales_followup
                          SET write_date = now() AT TIME ZONE 'UTC'
                        WHERE id = (SELECT MAX(id) FROM (
                                        SELECT id FROM repeat_sales_followup
                                         WHERE partner_id = ANY(%s)
                                           AND state = 'pending'
                                      ORDER BY id LIMIT 4) batch)""",
                    partner_ids,
                )
            )
            self.assertEqual(env.cr.rowcount, 1)
        open(self.go, "w").close()
        output = self.finish(worker)
        self.assertIn("SERIALIZATION FAILURE", output.splitlines())
        self.assertIn("could not serialize access due to concurrent update", output)
        self.assertIn("PROCESSED", output.splitlines())
        with self.committed_env() as env:
            states = env["repeat.sales.followup"]._read_group(
                [("partner_id", "in", partner_ids)], ["state"], ["__count"]
            )
            self.assertEqual(dict(states), {"done": 4, "pending": 5})
            cron = env["ir.cron"].browse(cron_id)
            # No progress committed by the failed call: Odoo counts a failed
            # job and moves it to its next interval.
            self.assertEqual(cron.failure_count, failures + 1)
            self.assertGreater(cron.nextcall, fields.Datetime.now())
            cron.nextcall = fields.Datetime.now() - timedelta(minutes=1)
        IrCron = self.registry["ir.cron"]
        with self.registry.cursor() as cron_cr:
            job = IrCron._acquire_one_job(cron_cr, cron_id)
            self.assertTrue(job)
            compat.process_cron_job(self.registry, cron_cr, job)
        self._check_plan_carried_out_once(partner_ids)
        with self.committed_env() as env:
            self.assertEqual(env["ir.cron"].browse(cron_id).failure_count, 0)
