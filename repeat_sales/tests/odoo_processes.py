# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Drive real Odoo processes against the test database, on committed data.

The tests built on this commit their data through their own cursors (other
tests never see it: it is deleted again at the end), start ``odoo-bin shell``
processes that run a script, wait for a line the script prints, and may kill
them with SIGKILL.
"""

import os
import select
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase
from odoo.tools import SQL, config

ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")


def odoo_command(*arguments):
    """An ``odoo-bin`` command line using this Odoo's addons path and database."""
    command = [
        sys.executable,
        ODOO_BIN,
        *arguments,
        "--log-level=warn",
        f"--addons-path={config['addons_path']}",
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            command.append(f"--{option}={config[option]}")
    return command


class OdooProcessCase(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]

    @contextmanager
    def committed_env(self):
        """An environment on a new cursor, committed at the end of the block."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

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

    def wait_for(self, process, marker, timeout=180, or_blocked=False):
        """Read the process's output until a line equals ``marker``.

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
