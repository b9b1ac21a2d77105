# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the demo's report-total tests share: read as the web client, recount in SQL.

The reports are read as the web client reads them (``read_group`` /
``formatted_read_group`` with each measure's own aggregate), with no groupby
(the grand total) and grouped as the report opens; the recounts read the
tables the figures come from: orders as the order facts count them, calls,
follow-ups, offers, the stamp ledger, cards, campaign members, snapshots. Run
only with demo data (``DEMO=1 tools/test.sh -k demo``); the same rules are
tested on small hand-made data in tests/reports.
"""

import unittest

from odoo.tests import TransactionCase
from odoo.tools import SQL

from ... import compat


class DemoReportTotalsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("base.module_repeat_sales").demo:
            raise unittest.SkipTest("the database has no demo data")
        cls.env.flush_all()
        cls.facts = cls.env["repeat.sales.order.facts"]._orders_sql()

    def _sql(self, query, **args):
        self.env.cr.execute(SQL(query, facts=self.facts, **args))
        return self.env.cr.fetchall()

    def _read(self, model, measures, groupby=()):
        """Rows as the web client reads them: ``{group key: (figures)}``."""
        Model = self.env[model]
        specs = [f"{name}:{Model._fields[name].aggregator}" for name in measures]
        rows = compat.formatted_read_group(Model, [], list(groupby), specs)
        result = {}
        for row in rows:
            key = tuple(
                row[spec][0] if isinstance(row[spec], tuple) else row[spec] or None
                for spec in groupby
            )
            result[key] = tuple(row[spec] for spec in specs)
        return result

    def _assert_figures(self, read, recount, places=2):
        self.assertEqual(set(read), set(recount))
        for key, figures in read.items():
            with self.subTest(group=key):
                self.assertEqual(len(figures), len(recount[key]))
                for shown, counted in zip(figures, recount[key], strict=True):
                    self.assertAlmostEqual(shown or 0, counted or 0, places=places)

    def _check(self, model, measures, groupby, total_sql, group_sql, **args):
        """The grand total and the default groupby's rows against SQL."""
        [total] = self._sql(total_sql, **args)
        self.assertTrue(any(total), f"{model}: nothing to total on the demo")
        self._assert_figures(self._read(model, measures), {(): total})
        groups = {tuple(row[:1]): row[1:] for row in self._sql(group_sql, **args)}
        self._assert_figures(self._read(model, measures, groupby), groups)

    FIRST = """NOT EXISTS (
                 SELECT FROM (%(facts)s) earlier
                  WHERE earlier.partner_id = facts.partner_id
                    AND earlier.company_id = facts.company_id
                    AND (earlier.date_order, earlier.order_id)
                        < (facts.date_order, facts.order_id))"""
