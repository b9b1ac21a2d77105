# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unittest
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ... import compat
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestSegments(RepeatSalesCommon):
    def _customer_ordering(self, name, days_ago):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        self._order(partner, days_ago, 100.0)
        return partner

    def test_segment_boundaries_are_inclusive(self):
        ages = {0: "hot", 30: "hot", 31: "warm", 120: "warm", 121: "sleeping"}
        partners = {
            age: self._customer_ordering(f"Customer {age} days", age) for age in ages
        }
        never = self.env["res.partner"].create({"name": "Prospect"})
        self._commit_hooks()

        for age, segment in ages.items():
            with self.subTest(age=age):
                self.assertEqual(self._stat(partners[age]).segment, segment)
                self.assertEqual(partners[age].repeat_segment, segment)
        self.assertEqual(never.repeat_segment, "never")
        self.assertFalse(self._stat(never))

    def test_daily_update_moves_customers_as_days_pass(self):
        hot = self._customer_ordering("Hot today", 30)
        warm = self._customer_ordering("Warm today", 120)
        self._commit_hooks()
        self.Stat._cron_daily_update()

        with freeze_time(self.today + timedelta(days=1)):
            self.Stat._cron_daily_update()
            self.assertEqual(self._stat(hot).segment, "warm")
            self.assertEqual(self._stat(warm).segment, "sleeping")
            # A second run the same day changes nothing.
            self.assertEqual(self.Stat._move_segments(), 0)

    def test_missed_days_are_caught_up_in_one_run(self):
        hot = self._customer_ordering("Hot, cron stopped", 5)
        warm = self._customer_ordering("Warm, cron stopped", 100)
        self._commit_hooks()
        self.Stat._cron_daily_update()
        last_run = self.env["ir.config_parameter"].get_param(
            "repeat_sales.stat_updated_at"
        )
        with freeze_time(self.today + timedelta(days=200)):
            # The range read starts from the last run's day, 200 days back.
            self.assertEqual(self.Stat._move_segments(last_run), 2)
            self.assertEqual(self._stat(hot).segment, "sleeping")
            self.assertEqual(self._stat(warm).segment, "sleeping")

    def test_a_move_between_segments_writes_no_index_entry(self):
        """The segment is in no index: a move stays on its page (heap-only)."""
        self._customer_ordering("Hot today", 30)
        self._customer_ordering("Warm today", 120)
        self._commit_hooks()
        updates_before = self._row_updates()
        with freeze_time(self.today + timedelta(days=1)):
            self.assertEqual(self.Stat._move_segments(), 2)
        updated, heap_only = (
            now - before
            for now, before in zip(self._row_updates(), updates_before, strict=True)
        )
        self.assertEqual((updated, heap_only), (2, 2))

    def _row_updates(self):
        """Rows of the figures table updated in this transaction, and how many
        of them as heap-only updates."""
        self.env.cr.execute(
            """SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables
                WHERE relid = 'repeat_sales_partner_stat'::regclass"""
        )
        return self.env.cr.fetchone()

    def test_daily_update_catches_orders_written_outside_the_orm(self):
        planner_settings = self._planner_settings()
        self.Stat._cron_daily_update()
        order = self._order(self.customer, 3, 90.0)
        # An import in SQL: the figures do not know about it until the daily run.
        self.env.cr.precommit.clear()
        self.env.flush_all()
        self.assertFalse(self._stat(self.customer))
        self.Stat._cron_daily_update()
        self.assertEqual(self._stat(self.customer).order_count, 1)
        self.assertEqual(order.repeat_order_rank, 1)
        # Its planner settings for the few customers who changed end with it.
        self.assertEqual(self._planner_settings(), planner_settings)

    def _planner_settings(self):
        self.env.cr.execute(
            "SELECT current_setting('enable_hashjoin'),"
            " current_setting('enable_mergejoin'), current_setting('jit')"
        )
        return self.env.cr.fetchone()

    def test_changing_thresholds_moves_customers_at_once(self):
        partner = self._customer_ordering("Forty days", 40)
        self._commit_hooks()
        self.assertEqual(self._stat(partner).segment, "warm")
        self.company.write({"repeat_hot_days": 45, "repeat_warm_days": 90})
        self.assertEqual(self._stat(partner).segment, "hot")

    def test_thresholds_set_from_the_settings_form(self):
        settings = Form(self.env["res.config.settings"])
        settings.repeat_hot_days = 150
        settings.repeat_warm_days = 300
        settings.save().execute()
        self.assertEqual(
            (self.company.repeat_hot_days, self.company.repeat_warm_days), (150, 300)
        )

    def test_invalid_thresholds_are_refused(self):
        for hot, warm in ((0, 120), (-5, 120), (30, 0), (120, 120), (200, 120)):
            with self.subTest(hot=hot, warm=warm):
                with self.assertRaises(ValidationError):
                    with self.env.cr.savepoint():
                        self.company.write(
                            {"repeat_hot_days": hot, "repeat_warm_days": warm}
                        )
        self.assertEqual(
            (self.company.repeat_hot_days, self.company.repeat_warm_days), (30, 120)
        )

    def test_invalid_thresholds_are_refused_in_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.repeat_hot_days = 130
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                settings.save().execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.repeat_hot_days, 30)

    @unittest.skipUnless(
        compat.LIST_GROUPS_EXPANDED,
        "19.0 orders a list's groups by the database, alphabetically here",
    )
    def test_customer_list_groups_come_in_segment_order(self):
        for name, days_ago in (("Sleeper", 200), ("Warm one", 60), ("Hot one", 2)):
            self._customer_ordering(name, days_ago)
        self._commit_hooks()

        groups = self.Stat.web_read_group([], [], ["segment"])["groups"]
        # What the grouped customer list shows, top to bottom: not alphabetical
        # (hot, sleeping, warm) and no empty group added.
        self.assertEqual(
            [group["segment"] for group in groups], ["hot", "warm", "sleeping"]
        )
