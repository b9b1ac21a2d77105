# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Install on years of history, upgrade in place, then uninstall without a trace.

Runs real ``odoo-bin`` processes on a database of its own, dropped at the end.
"""

import subprocess
import uuid

import psycopg2
from psycopg2 import sql

import odoo
from odoo.tests import BaseCase, tagged

from .odoo_processes import odoo_command

# Three years of orders for 40 customers, before repeat_sales exists.
HISTORY = """
import random
from datetime import datetime, timedelta
rng = random.Random(7)
product = env["product.product"].create({"name": "History", "list_price": 10})
customers = env["res.partner"].create(
    [{"name": f"History {index}", "is_company": True} for index in range(40)]
)
values, ages = [], []
for customer in customers:
    for _order in range(rng.randint(1, 6)):
        values.append({
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id,
                                   "price_unit": rng.choice([10, 99.5, 250])})],
        })
        ages.append(rng.randint(0, 3 * 365))
orders = env["sale.order"].create(values)
orders.action_confirm()
for order, age in zip(orders, ages):
    order.date_order = datetime.now() - timedelta(days=age)
orders[:5]._action_cancel()
env.cr.commit()
"""

# What a company changes after installing, which an upgrade must keep.
BEFORE_UPGRADE = """
env.ref("repeat_sales.mail_template_thank_you").subject = "Our own subject"
env.ref("repeat_sales.ir_cron_repeat_sales_nightly").active = False
env.ref("base.main_company").repeat_hot_days = 21
env.cr.commit()
"""

# After ``-u repeat_sales``: the changes kept, nothing of the addon doubled.
AFTER_UPGRADE = """
assert env.ref("repeat_sales.mail_template_thank_you").subject == "Our own subject"
assert not env.ref("repeat_sales.ir_cron_repeat_sales_nightly").active
assert env.ref("base.main_company").repeat_hot_days == 21
crons = env["ir.cron"].with_context(active_test=False).search_count(
    [("cron_name", "like", "Repeat Sales%")]
)
templates = env["mail.template"].search_count([("name", "like", "Repeat Sales%")])
print("CRONS", crons, "TEMPLATES", templates)
"""

# Compare the back-filled figures with a recomputation in Python.
CHECK_FIGURES = """
from collections import defaultdict
expected = defaultdict(lambda: [0, 0.0])
for order in env["sale.order"].search([("state", "=", "sale")]):
    key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
    expected[key][0] += 1
    expected[key][1] += order.amount_untaxed
stored = {
    (stat.partner_id.id, stat.company_id.id): [stat.order_count, stat.revenue]
    for stat in env["repeat.sales.partner.stat"].search([])
}
assert stored == dict(expected), (stored, dict(expected))
months = env["repeat.sales.segment.snapshot"]._read_group([], ["date:month"])
assert len(months) >= 12, months
print("FIGURES", len(stored), "SNAPSHOT_MONTHS", len(months))
addon = env["ir.module.module"].search([("name", "=", "repeat_sales")])
addon.button_immediate_uninstall()
print("UNINSTALLED")
"""

# What may remain of the addon after its uninstallation: nothing. Each query
# takes the LIKE patterns below as parameters.
ADDON = r"repeat\_sales%"
ANYWHERE = r"%repeat\_sales%"
PREFIX = r"repeat\_%"
LEFTOVERS = {
    "tables": ("SELECT tablename FROM pg_tables WHERE tablename LIKE %s", ADDON),
    "SQL views": ("SELECT viewname FROM pg_views WHERE viewname LIKE %s", ADDON),
    "columns": (
        """SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name LIKE %s""",
        PREFIX,
    ),
    "indexes": ("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ANYWHERE),
    "records": (
        "SELECT model || ' ' || name FROM ir_model_data WHERE module LIKE %s",
        ADDON,
    ),
    "models": ("SELECT model FROM ir_model WHERE model LIKE %s", "repeat.sales%"),
    "fields": (
        "SELECT model || '.' || name FROM ir_model_fields WHERE name LIKE %s",
        PREFIX,
    ),
    "crons": ("SELECT cron_name FROM ir_cron WHERE cron_name LIKE %s", "Repeat Sales%"),
    "views": (
        "SELECT name FROM ir_ui_view WHERE arch_db::text LIKE %s OR name LIKE %s",
        ANYWHERE,
        "repeat.sales%",
    ),
    "menus": (
        "SELECT name::text FROM ir_ui_menu WHERE name::text LIKE %s",
        "%Repeat Sales%",
    ),
    "mail templates": (
        """SELECT template.name::text FROM mail_template template
             JOIN ir_model model ON model.id = template.model_id
            WHERE model.model LIKE %s OR template.body_html::text LIKE %s""",
        "repeat.sales%",
        ANYWHERE,
    ),
}


@tagged("post_install", "-at_install")
class TestLifecycle(BaseCase):
    def _odoo(self, database, *arguments, script=None):
        if arguments[0] == "shell":
            arguments = ("shell", "-d", database, *arguments[1:])
        else:
            arguments = ("-d", database, *arguments)
        result = subprocess.run(
            odoo_command(*arguments),
            input=script,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def test_install_on_history_upgrade_then_uninstall_leaves_nothing(self):
        database = f"repeat_sales_lifecycle_{uuid.uuid4().hex[:8]}"
        self.addCleanup(self._drop, database)
        self._odoo(
            database,
            "-i",
            "sale_management,sale_loyalty",
            "--without-demo=all",
            "--stop-after-init",
        )
        self._odoo(database, "shell", "--no-http", script=HISTORY)
        self._odoo(
            database, "-i", "repeat_sales", "--without-demo=all", "--stop-after-init"
        )
        self._odoo(database, "shell", "--no-http", script=BEFORE_UPGRADE)
        self._odoo(database, "-u", "repeat_sales", "--stop-after-init")
        output = self._odoo(database, "shell", "--no-http", script=AFTER_UPGRADE)
        self.assertIn("CRONS 2 TEMPLATES 8", output)
        output = self._odoo(database, "shell", "--no-http", script=CHECK_FIGURES)
        self.assertIn("UNINSTALLED", output)
        connection = psycopg2.connect(**self._dsn(database))
        self.addCleanup(connection.close)
        cursor = connection.cursor()
        for what, (query, *patterns) in LEFTOVERS.items():
            with self.subTest(what=what):
                cursor.execute(query, patterns)
                self.assertEqual(cursor.fetchall(), [], f"{what} left behind")
        cursor.execute("SELECT state FROM ir_module_module WHERE name = 'repeat_sales'")
        self.assertEqual(cursor.fetchone(), ("uninstalled",))

    def _dsn(self, database):
        config = odoo.tools.config
        dsn = {"dbname": database}
        for option, key in (
            ("db_host", "host"),
            ("db_port", "port"),
            ("db_user", "user"),
            ("db_password", "password"),
        ):
            if config.get(option):
                dsn[key] = config[option]
        return dsn

    def _drop(self, database):
        odoo.sql_db.close_db(database)
        connection = psycopg2.connect(**self._dsn("postgres"))
        try:
            connection.autocommit = True
            connection.cursor().execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database))
            )
        finally:
            connection.close()
