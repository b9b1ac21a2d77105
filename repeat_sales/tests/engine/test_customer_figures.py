# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from psycopg2.errors import ForeignKeyViolation, UniqueViolation

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ... import compat
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestCustomerFigures(RepeatSalesCommon):
    def test_figures_of_a_hand_computed_history(self):
        # Orders 200, 110 and 20 days ago: gaps of 90 days, 0 + 100 + 250 + 150.
        self._order(self.customer, 200, 100.0)
        self._order(self.customer, 110, 250.0)
        self._order(self.customer, 20, 150.0)
        self._commit_hooks()

        stat = self._stat(self.customer)
        self.assertEqual(stat.first_order_date, self.today - timedelta(days=200))
        self.assertEqual(stat.last_order_date, self.today - timedelta(days=20))
        self.assertEqual(stat.order_count, 3)
        self.assertEqual(stat.revenue, 500.0)
        self.assertAlmostEqual(stat.average_order_value, 166.67)
        self.assertEqual(stat.average_gap_days, 90.0)
        self.assertEqual(stat.expected_order_date, self.today + timedelta(days=70))
        self.assertEqual(stat.days_since_last_order, 20)
        self.assertEqual(stat.segment, "hot")
        self.assertFiguresExact()

    def test_single_order_has_no_rhythm_yet(self):
        self._order(self.customer, 45, 80.0)
        self._commit_hooks()
        stat = self._stat(self.customer)
        self.assertEqual(stat.order_count, 1)
        self.assertEqual(stat.average_gap_days, 0.0)
        self.assertFalse(stat.expected_order_date)
        self.assertEqual(stat.segment, "warm")

    def test_draft_and_cancelled_orders_do_not_count(self):
        self._order(self.customer, 10, 100.0)
        cancelled = self._order(self.customer, 5, 999.0)
        cancelled._action_cancel()
        draft = self.sale_order.copy({"partner_id": self.customer.id})
        self._commit_hooks()
        self.assertEqual(draft.state, "draft")
        stat = self._stat(self.customer)
        self.assertEqual(stat.order_count, 1)
        self.assertEqual(stat.revenue, 100.0)

    def test_contacts_roll_up_to_their_company(self):
        buyer = self.env["res.partner"].create(
            {"name": "Anna Buyer", "parent_id": self.customer.id}
        )
        accountant = self.env["res.partner"].create(
            {"name": "Ivan Accountant", "parent_id": self.customer.id}
        )
        self._order(buyer, 60, 100.0)
        self._order(accountant, 30, 300.0)
        self._commit_hooks()

        self.assertFalse(self._stat(buyer))
        stat = self._stat(self.customer)
        self.assertEqual(stat.order_count, 2)
        self.assertEqual(stat.revenue, 400.0)
        # The contact's form shows its company's figures.
        self.assertEqual(buyer.repeat_order_count, 2)
        self.assertEqual(buyer.repeat_segment, "hot")
        self.assertFiguresExact()

    def test_foreign_currency_orders_count_in_company_currency(self):
        self._enable_pricelists()
        foreign = self.env["res.currency"].create(
            {"name": "RSX", "symbol": "R", "rounding": 0.01}
        )
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "company_id": self.company.id,
                "name": date(2000, 1, 1),
                "rate": 4.0,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "RSX prices", "currency_id": foreign.id}
        )
        # 400 RSX at 4 RSX per company unit = 100; plus 50 in company currency.
        self._order(self.customer, 40, 400.0, pricelist=pricelist)
        self._order(self.customer, 10, 50.0)
        self._commit_hooks()

        stat = self._stat(self.customer)
        self.assertEqual(stat.currency_id, self.company.currency_id)
        self.assertEqual(stat.revenue, 150.0)
        self.assertEqual(stat.average_order_value, 75.0)
        self.assertFiguresExact()

    def test_each_company_sees_its_own_figures(self):
        other_company = self.env["res.company"].create(
            {"name": "Flowers Ltd", "repeat_hot_days": 10, "repeat_warm_days": 20}
        )
        self._order(self.customer, 15, 100.0)
        self._order(self.customer, 100, 700.0, company=other_company)
        self._commit_hooks()

        here = self._stat(self.customer)
        there = self._stat(self.customer, other_company)
        self.assertEqual(
            (here.order_count, here.revenue, here.segment), (1, 100.0, "hot")
        )
        self.assertEqual(
            (there.order_count, there.revenue, there.segment), (1, 700.0, "sleeping")
        )
        self.assertEqual(self.customer.repeat_revenue, 100.0)
        self.assertEqual(
            self.customer.with_company(other_company).repeat_revenue, 700.0
        )

        # A salesperson of the first company only never reads the other's figures.
        salesperson = self.env["res.users"].create(
            {
                "name": "Own Company Seller",
                "login": "own_company_seller",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                compat.USER_GROUPS: [
                    (6, 0, self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        visible = self.Stat.with_user(salesperson).search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(visible.company_id, self.company)
        self.assertFiguresExact()

    def test_back_fill_of_an_empty_table_keeps_its_keys(self):
        # The install's path: the table is empty, its indexes and foreign keys
        # are dropped for the INSERT and restored after it.
        self._order(self.customer, 200, 100.0)
        self._order(self.customer, 20, 300.0)
        person = self.env["res.partner"].create({"name": "Olga Bakery"})
        self._order(person, 5, 50.0)
        self._commit_hooks()
        # By name, then definition: a unique constraint and its index share a name.
        catalog = SQL(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = 'repeat_sales_partner_stat'::regclass
                UNION ALL
               SELECT indexname, indexdef FROM pg_indexes
                WHERE tablename = 'repeat_sales_partner_stat'
             ORDER BY 1, 2"""
        )
        self.env.cr.execute(catalog)
        keys = self.env.cr.fetchall()
        self.env.cr.execute(SQL("DELETE FROM repeat_sales_partner_stat"))
        index_memory = SQL("SELECT current_setting('maintenance_work_mem')")
        self.env.cr.execute(index_memory)
        memory = self.env.cr.fetchone()

        self.assertEqual(self.Stat._recompute_all(), len(self._recomputed_figures()))
        self.env.cr.execute(index_memory)
        self.assertEqual(self.env.cr.fetchone(), memory, "the setting is restored")
        self.assertFiguresExact()
        self.env.cr.execute(catalog)
        self.assertEqual(self.env.cr.fetchall(), keys)
        self.assertEqual(self.Stat._recompute_all(), 0, "a rerun writes nothing")

        stat = self._stat(self.customer)
        duplicate = SQL(
            """INSERT INTO repeat_sales_partner_stat (partner_id, company_id)
               VALUES (%s, %s)""",
            stat.partner_id.id,
            stat.company_id.id,
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            with self.env.cr.savepoint():
                self.env.cr.execute(duplicate)
        unknown = SQL(
            """INSERT INTO repeat_sales_partner_stat (partner_id, company_id)
               VALUES (%s, %s)""",
            -1,
            stat.company_id.id,
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(ForeignKeyViolation):
            with self.env.cr.savepoint():
                self.env.cr.execute(unknown)

    def _analyze_count(self, table):
        # Statistics are cached for the transaction: read them afresh.
        self.env.cr.execute(SQL("SELECT pg_stat_clear_snapshot()"))
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(MAX(stats.analyze_count), 0), MAX(cls.reltuples)
                     FROM pg_class cls
                LEFT JOIN pg_stat_user_tables stats ON stats.relid = cls.oid
                    WHERE cls.relname = %s""",
                table,
            )
        )
        return self.env.cr.fetchone()

    def test_back_fill_analyzes_the_table(self):
        # After the install's back-fill the planner knows the table's size: it
        # does not keep taking a large table for empty.
        for days in (300, 200, 100):
            self._order(
                self.env["res.partner"].create({"name": f"Shop {days}"}), days, 10.0
            )
        self._commit_hooks()
        self.env.cr.execute(SQL("DELETE FROM repeat_sales_partner_stat"))
        analyzed, _rows = self._analyze_count("repeat_sales_partner_stat")

        count = self.Stat._recompute_all()
        self.assertEqual(count, len(self._recomputed_figures()))
        self.assertEqual(
            self._analyze_count("repeat_sales_partner_stat"), (analyzed + 1, count)
        )
        self.Stat._recompute_all()
        self.assertEqual(
            self._analyze_count("repeat_sales_partner_stat")[0],
            analyzed + 1,
            "a full recompute that changed nothing does not analyze again",
        )

    def test_install_analyzes_the_back_filled_history(self):
        # post_init_hook ran when the test database was installed.
        for table in ("repeat_sales_segment_snapshot", "repeat_sales_segment_move"):
            self.assertGreaterEqual(self._analyze_count(table)[0], 1, table)
