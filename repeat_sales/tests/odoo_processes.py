# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Drive real Odoo processes against the test database, on committed data.

The tests built on this commit their data through their own cursors (other
tests never see it: it is deleted again at the end), start ``odoo-bin shell``
processes that run a script, wait for a line the script prints, and may kill
them with SIGKILL.
"""

import itertools
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as day_time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.tests import TransactionCase
from odoo.tools import SQL, config

from .. import compat

ODOO_BIN = os.path.join(os.path.dirname(list(odoo.__path__)[0]), "odoo-bin")

# Runs in the Odoo process: on the ``call``-th call of ``method``, before or
# after its work, flush, print ``MIDBATCH`` and wait for the file ``until``
# (without one: for ten minutes, to be killed there).
PAUSE = """
import os, time
cls = type(env[{model!r}])
original = getattr(cls, {method!r})
calls = [0]
def pause(self):
    self.env.flush_all()
    print("MIDBATCH", flush=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not (
        {until!r} and os.path.exists({until!r})
    ):
        time.sleep(0.05)
def paused(self, *args, **kwargs):
    calls[0] += 1
    if {before!r} and calls[0] == {call}:
        pause(self)
    result = original(self, *args, **kwargs)
    if not {before!r} and calls[0] == {call}:
        pause(self)
    return result
setattr(cls, {method!r}, paused)
"""


def pause_script(model, method, call=1, before=False, until=None):
    """Script lines pausing ``model.method`` on its ``call``-th call (see PAUSE)."""
    return PAUSE.format(
        model=model, method=method, call=call, before=before, until=until
    )


def odoo_command(*arguments):
    """An ``odoo-bin`` command line using this Odoo's addons path and database."""
    command = [
        sys.executable,
        ODOO_BIN,
        *arguments,
        "--log-level=warn",
        f"--addons-path={compat.addons_path(config)}",
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            command.append(f"--{option}={config[option]}")
    return command


class OdooProcessCase(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        self._partner_numbers = itertools.count()

    @contextmanager
    def committed_env(self):
        """An environment on a new cursor, committed at the end of the block."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    # Nightly steps whose committed work would outlive a test's customers
    # (today's segment snapshot, mined rules, value models).
    LASTING_STEPS = ("snapshot", "reports", "mining", "value")

    def _nightly_chain_due_without_lasting_steps(self):
        """Every nightly step due again, those of LASTING_STEPS off, until
        the end of the test."""
        with self.committed_env() as env:
            steps = env["repeat.sales.nightly.step"].search([])
            steps.last_run_date = False
            steps.filtered(lambda step: step.key in self.LASTING_STEPS).active = False
        self.addCleanup(self._restore_nightly_steps)

    def _restore_nightly_steps(self):
        with self.committed_env() as env:
            steps = (
                env["repeat.sales.nightly.step"]
                .with_context(active_test=False)
                .search([])
            )
            steps.write({"active": True, "last_run_date": False})

    # ------------------------------------------------------------------
    # Committed data, deleted again at the end of the test
    # ------------------------------------------------------------------

    def _products(self, env, *names, price=100.0):
        """Committed products of the test, deleted after its customers."""
        products = env["product.product"].create(
            [
                {"name": f"{name} {self.tag}", "type": "consu", "list_price": price}
                for name in names
            ]
        )
        self.addCleanup(self._delete_products, products.ids)
        return products

    def _partners(self, env, count, **values):
        """Committed customers (companies with an e-mail address)."""
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Kill {self.tag} {number}",
                    "is_company": True,
                    "email": f"kill{self.tag}{number}@example.com",
                    **values,
                }
                for number in itertools.islice(self._partner_numbers, count)
            ]
        )
        self.addCleanup(self._delete_partners, partners.ids)
        return partners

    def _orders(self, env, purchases, company=None):
        """Confirmed orders, one per ``(partner, age in days, products)``."""
        company = company or env.ref("base.main_company")
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "price_unit": product.list_price}
                        )
                        for product in products
                    ],
                }
                for partner, _age, products in purchases
            ]
        )
        orders.action_confirm()
        today = fields.Date.context_today(orders)
        for order, (_partner, age, _products) in zip(orders, purchases, strict=True):
            order.date_order = datetime.combine(
                today - timedelta(days=age), day_time(9)
            )
        return orders

    def _customers(self, env, ages, company=None, amount=100.0, **values):
        """Committed customers, each with one confirmed order ``age`` days ago."""
        product = self._products(env, "Kill test", price=amount)
        partners = self._partners(env, len(ages), **values)
        self._orders(
            env,
            [
                (partner, age, product)
                for partner, age in zip(partners, ages, strict=True)
            ],
            company,
        )
        return partners

    def _check_plan_carried_out_once(self, partner_ids):
        """Each customer has one follow-up, done: one activity or one e-mail."""
        with self.committed_env() as env:
            followups = env["repeat.sales.followup"].search(
                [("partner_id", "in", partner_ids)]
            )
            self.assertEqual(sorted(followups.partner_id.ids), sorted(partner_ids))
            self.assertEqual(len(followups), len(partner_ids), "one step each, not two")
            self.assertEqual(set(followups.mapped("state")), {"done"})
            for followup in followups:
                partner = followup.partner_id
                mails = env["mail.message"].search_count(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "=", partner.id),
                        ("subtype_id", "=", env.ref("mail.mt_comment").id),
                    ]
                )
                expected = (1, 0) if followup.step_id.action == "activity" else (0, 1)
                self.assertEqual((len(partner.activity_ids), mails), expected, partner)

    def _delete_products(self, product_ids):
        with self.committed_env() as env:
            env["product.product"].browse(product_ids).exists().unlink()

    def _delete_partners(self, partner_ids):
        """Delete committed customers and everything the addon made for them."""
        if not partner_ids:
            return
        with self.committed_env() as env:
            env.cr.execute(
                SQL(
                    """
                    DELETE FROM mail_activity
                     WHERE res_model = 'res.partner' AND res_id = ANY(%(ids)s);
                    DELETE FROM mail_message
                     WHERE model = 'res.partner' AND res_id = ANY(%(ids)s);
                    DELETE FROM mail_message
                     WHERE model = 'sale.order' AND res_id IN (
                           SELECT id FROM sale_order WHERE partner_id = ANY(%(ids)s));
                    DELETE FROM mail_followers
                     WHERE res_model = 'sale.order' AND res_id IN (
                           SELECT id FROM sale_order WHERE partner_id = ANY(%(ids)s));
                    DELETE FROM sale_order
                     WHERE partner_id = ANY(%(ids)s);
                    DELETE FROM repeat_sales_partner_stat
                     WHERE partner_id = ANY(%(ids)s);
                    DELETE FROM res_partner WHERE id = ANY(%(ids)s);
                    """,
                    ids=list(partner_ids),
                )
            )

    def start_odoo(self, script):
        """Start ``odoo-bin shell`` on the test database running ``script``."""
        process = subprocess.Popen(
            odoo_command("shell", "-d", self.env.cr.dbname, "--no-http"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # Registered after the data's cleanups, so it runs before them.
        self.addCleanup(self._stop, process)
        process.stdin.write(script)
        process.stdin.close()
        return process

    def wait_for(self, process, marker, timeout=900, or_blocked=False):
        """Read the process's output until a line equals ``marker`` (an Odoo
        shell may take minutes to start on a loaded machine).

        With ``or_blocked``, also return once a connection to the database
        waits for a lock (the process may be the one waiting).
        """
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            if or_blocked and self._lock_waits():
                return
            ready, _w, _x = select.select([process.stdout], [], [], 0.2)
            if not ready:
                continue
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.strip() == marker:
                return
        self.fail(f"no {marker!r} from the Odoo process; it printed:\n{''.join(seen)}")

    def finish(self, process, timeout=180):
        output = process.stdout.read()
        self.assertEqual(process.wait(timeout), 0, output)
        return output

    def run_until_killed(self, script, marker="MIDBATCH"):
        """Run ``script`` in an Odoo process; SIGKILL it once it prints ``marker``."""
        process = self.start_odoo(script)
        self.wait_for(process, marker)
        self.kill(process)

    def kill(self, process):
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)

    def _stop(self, process):
        if process.poll() is None:
            self.kill(process)

    def _lock_waits(self):
        with self.committed_env() as env:
            env.cr.execute(
                SQL(
                    """SELECT 1 FROM pg_stat_activity
                        WHERE datname = current_database()
                          AND wait_event_type = 'Lock'"""
                )
            )
            return bool(env.cr.rowcount)

    def wait_until_blocked(self, timeout=60):
        """Wait until a connection to the test database waits for a lock."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._lock_waits():
                return
            time.sleep(0.1)
        self.fail("no connection ever waited for a lock")
