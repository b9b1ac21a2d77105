# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The figures' work killed (SIGKILL) half way, then run again.

As in ``test_killed_crons``: committed data of the test only, a real ``odoo-bin
shell`` process killed once part of the work is written (not committed), then
the nightly figures step (``_cron_daily_update``) run normally must leave
exactly what one clean run gives: no order lost, none counted twice.
"""

import os
import shutil
import tempfile

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.engine.repeat_sales_partner_stat import columns
from .odoo_processes import OdooProcessCase, pause_script

STAMP = "clock_timestamp() AT TIME ZONE 'UTC'"

# The first fill pauses once its rows are inserted, while the table's keys and
# indexes are dropped (before ``insert_without_keys`` builds them again).
PAUSE_FIRST_FILL = """
import time
from odoo.addons.repeat_sales import db_tuning
original_settings = db_tuning.local_settings
def paused_settings(cr, settings):
    if "maintenance_work_mem" in settings:
        cr.execute("SELECT COUNT(*) FROM repeat_sales_partner_stat")
        rows = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM pg_indexes "
                   "WHERE tablename = 'repeat_sales_partner_stat'")
        if rows and not cr.fetchone()[0]:
            print("MIDBATCH", flush=True)
            time.sleep(600)
    return original_settings(cr, settings)
db_tuning.local_settings = paused_settings
"""

# A confirmation whose snapshot is taken first, then waits for ``go``; its
# figures are left to after its commit, and the process dies right there.
CONFIRM_AND_DIE_AFTER_COMMIT = """
import os, time
from odoo.addons.repeat_sales import after_commit
original_run = after_commit._run_committed
def die_here(registry, uid, context, model_name, method_name, ids):
    if model_name != "repeat.sales.partner.stat":
        return original_run(registry, uid, context, model_name, method_name, ids)
    print("COMMITTED, FIGURES AFTER COMMIT", flush=True)
    time.sleep(600)
after_commit._run_committed = die_here
env.cr.execute("SELECT 1")
print("SNAPSHOT", flush=True)
while not os.path.exists({go!r}):
    time.sleep(0.05)
env["sale.order"].browse({order_id}).action_confirm()
env.cr.commit()
"""


@tagged("post_install", "-at_install")
class TestKilledFigureCrons(OdooProcessCase):
    def _figures(self, env, partner_ids):
        """Each customer's stored figures, as a user sees them."""
        env.invalidate_all()
        stats = env["repeat.sales.partner.stat"].search(
            [("partner_id", "in", partner_ids)]
        )
        return {
            stat.partner_id.id: (stat.order_count, stat.revenue, stat.segment)
            for stat in stats
        }

    def _stat_rows(self, env):
        """Every row of the figures' table, but for its id and clock."""
        env.cr.execute(
            SQL(
                "SELECT %s FROM repeat_sales_partner_stat ORDER BY 1, 2",
                columns(None),
            )
        )
        return env.cr.fetchall()

    def _stat_keys(self, env):
        """The table's constraints and indexes, as PostgreSQL prints them."""
        env.cr.execute(
            SQL(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = 'repeat_sales_partner_stat'::regclass
                    UNION ALL
                   SELECT indexname, indexdef FROM pg_indexes
                    WHERE tablename = 'repeat_sales_partner_stat'
                 ORDER BY 1"""
            )
        )
        return env.cr.fetchall()

    def _last_run_forgotten(self, env):
        """The figures step's first run, as after the install; its marker is
        set back at the end."""
        param = env["ir.config_parameter"]
        since = param.get_param("repeat_sales.stat_updated_at")
        param.set_param("repeat_sales.stat_updated_at", False)
        self.addCleanup(self._set_last_run, since)

    def _set_last_run(self, since):
        with self.committed_env() as env:
            env["ir.config_parameter"].set_param("repeat_sales.stat_updated_at", since)

    def _last_run(self, env):
        return env["ir.config_parameter"].get_param("repeat_sales.stat_updated_at")

    def test_first_fill(self):
        """The first run fills the empty table with one INSERT and its keys
        dropped; killed there, the table is empty again with every key and
        index, and the rerun fills it as one clean run does."""
        with self.committed_env() as env:
            partner_ids = self._customers(env, [5, 50, 500], amount=70.0).ids
        with self.committed_env() as env:
            env["repeat.sales.partner.stat"]._recompute_all()
            clean, keys = self._stat_rows(env), self._stat_keys(env)
            self.assertEqual(
                sorted(self._figures(env, partner_ids).values()),
                [(1, 70.0, "hot"), (1, 70.0, "sleeping"), (1, 70.0, "warm")],
            )
            self._last_run_forgotten(env)
            env.cr.execute(SQL("DELETE FROM repeat_sales_partner_stat"))
        self.run_until_killed(
            PAUSE_FIRST_FILL + "env['repeat.sales.partner.stat']._cron_daily_update()\n"
            "env.cr.commit()\n"
        )
        with self.committed_env() as env:
            self.assertEqual(self._stat_rows(env), [], "the killed fill left no row")
            self.assertEqual(self._stat_keys(env), keys, "every key and index is back")
            self.assertFalse(self._last_run(env))
            env["repeat.sales.partner.stat"]._cron_daily_update()
        with self.committed_env() as env:
            self.assertEqual(self._stat_rows(env), clean)
            self.assertEqual(self._stat_keys(env), keys)
            self.assertTrue(self._last_run(env))

    def test_daily_update(self):
        """Three customers give the step each kind of its work: an order
        imported in SQL (added to the stored totals), an older order cancelled
        in SQL (the customer's history read again), and a customer whose last
        order is a day past the hot threshold (moved to warm)."""
        with self.committed_env() as env:
            hot_days = env.ref("base.main_company").repeat_hot_days
            # Made first: deleted after the customers and their orders.
            extra = self._products(env, "Daily extra", price=30.0)
            customers = self._customers(env, [10, 10, hot_days + 1], amount=70.0)
            importing, cancelling, moving = customers
            second = self._orders(env, [(cancelling, 5, extra)])
            imported = env["sale.order"].create(
                {
                    "partner_id": importing.id,
                    "order_line": [
                        Command.create({"product_id": extra.id, "price_unit": 30.0})
                    ],
                }
            )
            partner_ids, order_ids = customers.ids, (second | imported).ids
        with self.committed_env() as env:
            # The last run; the moving customer was still hot on its day.
            env["repeat.sales.partner.stat"]._cron_daily_update()
            env.cr.execute(
                SQL(
                    """UPDATE repeat_sales_partner_stat SET segment = 'hot'
                        WHERE partner_id = %s""",
                    moving.id,
                )
            )
            since = self._last_run(env)
        with self.committed_env() as env:
            # Written around the ORM, as an import in SQL does.
            env.cr.execute(
                SQL(
                    """UPDATE sale_order
                          SET state = CASE WHEN id = %(imported)s THEN 'sale'
                                           ELSE 'cancel' END,
                              create_date = CASE WHEN id = %(imported)s
                                                 THEN %(now)s ELSE create_date END,
                              write_date = %(now)s
                        WHERE id = ANY(%(ids)s)""",
                    imported=order_ids[1],
                    now=SQL(STAMP),
                    ids=order_ids,
                )
            )
        before = {
            importing.id: (1, 70.0, "hot"),
            cancelling.id: (2, 100.0, "hot"),
            moving.id: (1, 70.0, "hot"),
        }
        with self.committed_env() as env:
            self.assertEqual(self._figures(env, partner_ids), before)
        self.run_until_killed(
            pause_script("repeat.sales.partner.stat", "_store_fresh_figures")
            + "env['repeat.sales.partner.stat']._cron_daily_update()\n"
            "env.cr.commit()\n"
        )
        with self.committed_env() as env:
            self.assertEqual(self._figures(env, partner_ids), before, "nothing kept")
            self.assertEqual(self._last_run(env), since)
            env["repeat.sales.partner.stat"]._cron_daily_update()
        after = {
            importing.id: (2, 100.0, "hot"),
            cancelling.id: (1, 70.0, "hot"),
            moving.id: (1, 70.0, "warm"),
        }
        with self.committed_env() as env:
            self.assertEqual(self._figures(env, partner_ids), after)
            self.assertNotEqual(self._last_run(env), since)
            Stat = env["repeat.sales.partner.stat"]
            self.assertEqual(Stat._store_fresh_figures(partner_ids), 0, "exact")
            Stat._cron_daily_update()
        with self.committed_env() as env:
            self.assertEqual(self._figures(env, partner_ids), after, "once only")

    def test_confirmation_killed_after_its_commit(self):
        """Two orders of one customer are confirmed from overlapping snapshots.

        The second transaction finds the customer's figures written since its
        snapshot, so it leaves them to after its commit; its process is killed
        right after the commit. The figures miss its order until the next
        nightly figures step, which counts it, once.
        """
        go = os.path.join(tempfile.mkdtemp(), "go")
        self.addCleanup(shutil.rmtree, os.path.dirname(go))
        with self.committed_env() as env:
            product = self._products(env, "Race", price=40.0)
            partner = self._partners(env, 1)
            self._orders(env, [(partner, 20, product)])
            drafts = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                    for _index in range(2)
                ]
            )
            partner_id, draft_ids = partner.id, drafts.ids
        with self.committed_env() as env:
            env["repeat.sales.partner.stat"]._cron_daily_update()
        confirming = self.start_odoo(
            CONFIRM_AND_DIE_AFTER_COMMIT.format(go=go, order_id=draft_ids[1])
        )
        self.wait_for(confirming, "SNAPSHOT")
        with self.committed_env() as env:
            env["sale.order"].browse(draft_ids[0]).action_confirm()
        open(go, "w").close()
        self.wait_for(confirming, "COMMITTED, FIGURES AFTER COMMIT")
        self.kill(confirming)
        with self.committed_env() as env:
            orders = env["sale.order"].browse(draft_ids)
            self.assertEqual(orders.mapped("state"), ["sale", "sale"])
            self.assertEqual(
                self._figures(env, [partner_id]), {partner_id: (2, 80.0, "hot")}
            )
            env["repeat.sales.partner.stat"]._cron_daily_update()
        with self.committed_env() as env:
            self.assertEqual(
                self._figures(env, [partner_id]), {partner_id: (3, 120.0, "hot")}
            )
            env["repeat.sales.partner.stat"]._cron_daily_update()
        with self.committed_env() as env:
            self.assertEqual(
                self._figures(env, [partner_id]),
                {partner_id: (3, 120.0, "hot")},
                "counted once",
            )
