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


class OdooProcessCase(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        self.processes = []
        self.addCleanup(self._stop_processes)

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
        command = [
            sys.executable,
            ODOO_BIN,
            "shell",
            "-d",
            self.env.cr.dbname,
            "--no-http",
            "--log-level=warn",
            f"--addons-path={config['addons_path']}",
        ]
        for option in ("db_host", "db_port", "db_user", "db_password"):
            if config.get(option):
                command.append(f"--{option}={config[option]}")
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.processes.append(process)
        process.stdin.write(script)
        process.stdin.close()
        return process

    def wait_for(self, process, marker, timeout=180):
        """Read the process's output until a line equals ``marker``."""
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([process.stdout], [], [], 1)
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

    def kill(self, process):
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)

    def _stop_processes(self):
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)
