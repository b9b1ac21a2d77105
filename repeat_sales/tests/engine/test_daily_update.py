# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestDailyUpdate(RepeatSalesCommon):
    """The daily run brings in orders written around the ORM (imports in SQL).

    A test runs in one transaction; an import from a later transaction is
    played by giving the orders it writes the database clock of the moment as
    their create and write dates, as that transaction's own start would be.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stat._cron_daily_update()
        cls.since = cls.env["ir.config_parameter"].get_param(
            "repeat_sales.stat_updated_at"
        )

    def _import_order(self, partner, days_ago, amount, state="sale"):
        """An order written by a later import: created in SQL, no commit hook."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "price_unit": amount}
                    )
                ],
            }
        )
        self.env.flush_all()
        self._write_in_sql(
            order,
            SQL(
                "state = %s, date_order = %s, create_date = %s",
                state,
                self._days_ago(days_ago),
                SQL("clock_timestamp() AT TIME ZONE 'UTC'"),
            ),
        )
        return order

    def _write_in_sql(self, order, assignments):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order
                      SET %s, write_date = clock_timestamp() AT TIME ZONE 'UTC'
                    WHERE id = %s""",
                assignments,
                order.id,
            )
        )
        self.env.invalidate_all()

    def _daily_run(self):
        added, reread = self.Stat._add_orders_written_since(self.since)
        refreshed = added + self.Stat._store_fresh_figures(reread)
        return added, reread, refreshed

    def test_imported_orders_are_added_to_the_stored_totals(self):
        self._order(self.customer, 40, 100.0)
        self._order(self.customer, 20, 50.0)
        self._commit_hooks()
        self._import_order(self.customer, 2, 80.0)
        self._import_order(self.customer, 1, 999.0, state="draft")

        added, reread, refreshed = self._daily_run()

        self.assertEqual((added, reread, refreshed), (1, [], 1))
        stat = self._stat(self.customer)
        self.assertEqual(stat.order_count, 3)
        self.assertEqual(stat.revenue, 230.0)
        self.assertEqual(stat.first_order_date, self._days_ago(40).date())
        self.assertEqual(stat.last_order_date, self._days_ago(2).date())
        self.assertEqual(stat.average_gap_days, 19.0)
        self.assertEqual(stat.segment, "hot")
        self.assertFiguresExact()
        # The next run finds the import counted: nothing is added twice.
        self.assertEqual(self._daily_run(), (0, [], 0))
        self.assertFiguresExact()

    def test_orders_confirmed_through_the_orm_are_not_counted_twice(self):
        self._order(self.customer, 10, 100.0)
        self._commit_hooks()
        self.assertEqual(self._daily_run(), (0, [], 0))
        self.assertEqual(self._stat(self.customer).order_count, 1)

    def test_an_older_order_changed_in_sql_reads_the_history_again(self):
        kept = self._order(self.customer, 40, 100.0)
        cancelled = self._order(self.customer, 20, 50.0)
        self._commit_hooks()
        self._write_in_sql(cancelled, SQL("state = 'cancel'"))
        self._write_in_sql(kept, SQL("date_order = %s", self._days_ago(35)))

        added, reread, refreshed = self._daily_run()

        self.assertEqual((added, reread, refreshed), (0, [self.customer.id], 1))
        stat = self._stat(self.customer)
        self.assertEqual((stat.order_count, stat.revenue), (1, 100.0))
        self.assertEqual(stat.last_order_date, self._days_ago(35).date())
        self.assertFiguresExact()

    def test_a_customer_without_figures_in_the_company_is_read_in_full(self):
        other_company = self.env["res.company"].create({"name": "Second Shop"})
        self._order(self.customer, 10, 100.0, company=other_company)
        self._commit_hooks()
        self._import_order(self.customer, 3, 70.0)

        added, reread, _refreshed = self._daily_run()

        self.assertEqual((added, reread), (0, [self.customer.id]))
        self.assertEqual(self._stat(self.customer).order_count, 1)
        self.assertEqual(self._stat(self.customer, other_company).order_count, 1)
        self.assertFiguresExact()

    def test_imports_and_orm_changes_in_any_order_end_exact(self):
        """Random imports, SQL edits, confirmations and daily runs, from seeds."""
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {index}", "is_company": True} for index in range(3)]
        )
        contacts = self.env["res.partner"].create(
            [{"name": f"Contact {i}", "parent_id": customers[i].id} for i in range(3)]
        )
        buyers = customers | contacts
        amounts = [10.0, 99.99, 250.0]
        for seed in range(4):
            rng = random.Random(seed)
            orders = self.env["sale.order"]
            for _step in range(20):
                operation = rng.choice(
                    ["order", "import", "import", "cancel", "date", "daily"]
                )
                confirmed = orders.filtered(lambda o: o.state == "sale")
                if operation == "order":
                    orders |= self._order(
                        rng.choice(buyers), rng.randint(0, 300), rng.choice(amounts)
                    )
                    self._commit_hooks()
                elif operation == "import":
                    orders |= self._import_order(
                        rng.choice(buyers),
                        rng.randint(0, 300),
                        rng.choice(amounts),
                        state=rng.choice(["sale", "sale", "draft"]),
                    )
                elif operation == "cancel" and confirmed:
                    self._write_in_sql(rng.choice(confirmed), SQL("state = 'cancel'"))
                elif operation == "date" and confirmed:
                    self._write_in_sql(
                        rng.choice(confirmed),
                        SQL("date_order = %s", self._days_ago(rng.randint(0, 300))),
                    )
                elif operation == "daily":
                    self.Stat._cron_daily_update()
                    self.since = self.env["ir.config_parameter"].get_param(
                        "repeat_sales.stat_updated_at"
                    )
                    self.assertFiguresExact()
            self._daily_run()
            self.assertFiguresExact()
