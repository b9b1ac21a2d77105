# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each report's totals on the demo database equal a plain SQL recount.

The reports are read as the web client reads them (``read_group`` /
``formatted_read_group`` with each measure's own aggregate), with no groupby
(the grand total) and grouped as the report opens (by customer for the stamps,
whose ledger is all of one month on the demo); the
recounts read the tables the figures come from: orders as the order facts
count them, calls, offers, the stamp ledger, cards, campaign members,
snapshots. Run only with demo data (``DEMO=1 tools/test.sh -k demo``); the
same rules are tested on small hand-made data in tests/reports.
"""

import unittest

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ... import compat


@tagged("post_install", "-at_install")
class TestDemoReportTotals(TransactionCase):
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

    # ------------------------------------------------------------------
    # Orders and customers
    # ------------------------------------------------------------------

    FIRST = """NOT EXISTS (
                 SELECT FROM (%(facts)s) earlier
                  WHERE earlier.partner_id = facts.partner_id
                    AND earlier.company_id = facts.company_id
                    AND (earlier.date_order, earlier.order_id)
                        < (facts.date_order, facts.order_id))"""

    def test_repeat_revenue_first_and_repeat_orders(self):
        self._check(
            "repeat.sales.order.report",
            ["amount"],
            ["order_kind"],
            "SELECT SUM(amount) FROM (%(facts)s) facts",
            f"""SELECT CASE WHEN {self.FIRST} THEN 'first' ELSE 'repeat' END,
                       SUM(amount)
                  FROM (%(facts)s) facts GROUP BY 1""",
        )
        read = self._read("repeat.sales.order.report", ["amount"], ["order_kind"])
        [(customers, orders)] = self._sql(
            """SELECT COUNT(DISTINCT (partner_id, company_id)), COUNT(*)
                 FROM (%(facts)s) facts"""
        )
        rows = compat.formatted_read_group(
            self.env["repeat.sales.order.report"], [], ["order_kind"], []
        )
        counts = {row["order_kind"]: row["__count"] for row in rows}
        self.assertEqual(counts, {"first": customers, "repeat": orders - customers})
        self.assertEqual(len(read), 2)

    def test_customer_recency_per_segment(self):
        stat = "repeat_sales_partner_stat"
        joined = f"""FROM (%(facts)s) facts
                     JOIN {stat} stat ON stat.partner_id = facts.partner_id
                                     AND stat.company_id = facts.company_id"""
        self._check(
            "repeat.sales.partner.stat",
            ["revenue", "order_count", "average_order_value"],
            ["segment"],
            f"SELECT SUM(amount), COUNT(*), SUM(amount) / COUNT(*) {joined}",
            f"""SELECT stat.segment, SUM(amount), COUNT(*), SUM(amount) / COUNT(*)
                  {joined} GROUP BY stat.segment""",
        )
        # Every customer with a counted order has its row, and no other.
        [(customers, rows)] = self._sql(
            f"""SELECT (SELECT COUNT(DISTINCT (partner_id, company_id))
                          FROM (%(facts)s) facts),
                       (SELECT COUNT(*) FROM {stat})"""
        )
        self.assertEqual(customers, rows)

    def test_sleeping_cost_counts_todays_sleeping_customers(self):
        joined = """FROM (%(facts)s) facts
                    JOIN repeat_sales_partner_stat stat
                      ON stat.partner_id = facts.partner_id
                     AND stat.company_id = facts.company_id
                   WHERE stat.segment = 'sleeping'"""
        [total] = self._sql(
            f"""SELECT COUNT(DISTINCT facts.partner_id), COUNT(*), SUM(amount),
                       SUM(amount) / COUNT(*) {joined}"""
        )
        self._assert_figures(
            self._read(
                "repeat.sales.sleeping.cost.report",
                ["sleeping_count", "order_count", "revenue", "average_order"],
            ),
            {(): total},
        )

    def test_cohorts_count_customers_and_their_active_months(self):
        cohorts = """SELECT partner_id, company_id,
                            date_trunc('month', MIN(order_date))::date AS month
                       FROM (%(facts)s) facts GROUP BY 1, 2"""
        [(active,)] = self._sql(
            """SELECT COUNT(DISTINCT (partner_id, company_id,
                                      date_trunc('month', order_date)))
                 FROM (%(facts)s) facts"""
        )
        [total] = self._read("repeat.sales.cohort.report", ["customer_count"]).values()
        self.assertEqual(total, (active,))
        sizes = {
            (month,): (size, size)
            for month, size in self._sql(
                f"SELECT month, COUNT(*) FROM ({cohorts}) cohorts GROUP BY month"
            )
        }
        # Grouped by cohort, its size; and its first month has every customer.
        rows = self.env["repeat.sales.cohort.report"]._read_group(
            [("months_since", "=", 0)],
            ["cohort_month:month"],
            ["cohort_size:max", "customer_count:sum"],
        )
        read = {(month,): (size, count) for month, size, count in rows}
        self.assertEqual(read, sizes)

    # ------------------------------------------------------------------
    # Calls, follow-ups, salespeople
    # ------------------------------------------------------------------

    def test_call_analysis_per_caller(self):
        self._check(
            "repeat.sales.call",
            ["won_amount"],
            ["user_id"],
            "SELECT SUM(won_amount) FROM repeat_sales_call WHERE active",
            """SELECT user_id, SUM(won_amount) FROM repeat_sales_call
                WHERE active GROUP BY user_id""",
        )
        rows = compat.formatted_read_group(self.env["repeat.sales.call"], [], [], [])
        [(calls,)] = self._sql("SELECT COUNT(*) FROM repeat_sales_call WHERE active")
        self.assertEqual(rows[0]["__count"], calls)

    def test_salesperson_kpis(self):
        self._check(
            "repeat.sales.salesperson.report",
            ["calls_made", "calls_reached", "repeat_orders", "repeat_revenue"],
            ["user_id"],
            f"""SELECT (SELECT COUNT(*) FROM repeat_sales_call WHERE active),
                       (SELECT COUNT(*) FROM repeat_sales_call
                         WHERE active AND reached),
                       COUNT(*) FILTER (WHERE NOT {self.FIRST}),
                       SUM(amount) FILTER (WHERE NOT {self.FIRST})
                  FROM (%(facts)s) facts""",
            f"""SELECT user_id, SUM(calls), SUM(reached), SUM(orders), SUM(revenue)
                  FROM (SELECT user_id, 1 AS calls, reached::int AS reached,
                               0 AS orders, 0 AS revenue
                          FROM repeat_sales_call WHERE active
                     UNION ALL
                        SELECT user_id, 0, 0, 1, amount FROM (%(facts)s) facts
                         WHERE NOT {self.FIRST}) events
              GROUP BY user_id""",
        )

    # ------------------------------------------------------------------
    # Segment history
    # ------------------------------------------------------------------

    def test_segments_over_time_show_the_last_snapshot(self):
        table = "repeat_sales_segment_snapshot"
        self._check(
            "repeat.sales.segment.snapshot",
            ["customer_count", "revenue"],
            ["date:month"],
            f"""SELECT SUM(customer_count), SUM(revenue) FROM {table}
                 WHERE date = (SELECT MAX(date) FROM {table})""",
            f"""SELECT to_char(date, 'FMMonth YYYY'), SUM(customer_count),
                       SUM(revenue)
                  FROM {table}
                 WHERE date IN (SELECT MAX(date) FROM {table}
                                 GROUP BY date_trunc('month', date))
              GROUP BY 1""",
        )
        # The last snapshot counts today's customers.
        [(customers,)] = self._sql(
            "SELECT COUNT(DISTINCT (partner_id, company_id)) FROM (%(facts)s) facts"
        )
        [(shown,)] = self._read(
            "repeat.sales.segment.snapshot", ["customer_count"]
        ).values()
        self.assertEqual(shown, customers)

    def test_moves_between_segments(self):
        self._check(
            "repeat.sales.segment.move",
            ["customer_count"],
            ["from_segment"],
            "SELECT SUM(customer_count) FROM repeat_sales_segment_move",
            """SELECT from_segment, SUM(customer_count)
                 FROM repeat_sales_segment_move GROUP BY 1""",
        )

    # ------------------------------------------------------------------
    # Offers, stamps, campaigns
    # ------------------------------------------------------------------

    def test_offers_won_and_expired(self):
        offers = """SELECT COUNT(*) FILTER (WHERE state = 'won'),
                           COUNT(*) FILTER (WHERE state = 'expired'),
                           COALESCE(SUM(won_amount), 0)"""
        self._check(
            "repeat.sales.offer.report",
            ["won_count", "expired_count", "won_amount"],
            ["kind"],
            f"{offers} FROM repeat_sales_offer",
            f"SELECT kind, {offers[7:]} FROM repeat_sales_offer GROUP BY kind",
        )
        self._check(
            "repeat.sales.offer.rule.report",
            ["offer_count", "won_count", "won_amount"],
            ["kind"],
            """SELECT COUNT(offer.id), COUNT(*) FILTER (WHERE offer.state = 'won'),
                      COALESCE(SUM(offer.won_amount), 0)
                 FROM repeat_sales_offer offer
                 JOIN repeat_sales_offer_rule rule ON rule.id = offer.rule_id
                WHERE rule.active""",
            """SELECT rule.kind, COUNT(offer.id),
                      COUNT(offer.id) FILTER (WHERE offer.state = 'won'),
                      COALESCE(SUM(offer.won_amount), 0)
                 FROM repeat_sales_offer_rule rule
                 LEFT JOIN repeat_sales_offer offer ON offer.rule_id = rule.id
                WHERE rule.active GROUP BY rule.kind""",
        )

    def test_stamps_issued_redeemed_and_the_cards_balance(self):
        ledger = """SELECT SUM(stamps) FILTER (WHERE kind IN ('earn', 'reverse',
                                                               'adjust')),
                           -COALESCE(SUM(stamps) FILTER (
                               WHERE kind IN ('redeem', 'return')), 0),
                           -COALESCE(SUM(stamps) FILTER (WHERE kind = 'expire'), 0)"""
        self._check(
            "repeat.sales.stamp.report",
            ["issued", "redeemed", "expired"],
            ["partner_id"],
            f"{ledger} FROM repeat_sales_stamp_line",
            f"""SELECT partner_id, {ledger[7:]} FROM repeat_sales_stamp_line
                 GROUP BY partner_id""",
        )
        # What the ledger issued less what it took is on the cards.
        [(issued, redeemed, expired)] = self._read(
            "repeat.sales.stamp.report", ["issued", "redeemed", "expired"]
        ).values()
        [(stamps,)] = self._read("repeat.sales.tier.report", ["stamps"]).values()
        self.assertEqual(issued - redeemed - expired, stamps)
        self._check(
            "repeat.sales.tier.report",
            ["stamps"],
            ["tier_id"],
            """SELECT SUM(points) FROM loyalty_card
                WHERE repeat_stamp_card AND active""",
            """SELECT repeat_tier_id, SUM(points) FROM loyalty_card
                WHERE repeat_stamp_card AND active GROUP BY 1""",
        )

    def test_campaign_results_treated_and_control(self):
        window = """FROM repeat_sales_campaign_member member
                    JOIN repeat_sales_campaign campaign
                      ON campaign.id = member.campaign_id
                    LEFT JOIN LATERAL (
                         SELECT SUM(facts.amount) AS revenue
                           FROM (%(facts)s) facts
                          WHERE facts.partner_id = member.partner_id
                            AND facts.company_id = member.company_id
                            AND facts.order_date >= campaign.start_date
                            AND facts.order_date
                                < campaign.start_date + campaign.window_days
                    ) won ON TRUE"""
        figures = "COUNT(*), COUNT(won.revenue), COALESCE(SUM(won.revenue), 0)"
        self._check(
            "repeat.sales.campaign.report",
            ["customer_count", "ordered", "revenue"],
            ["member_group"],
            f"SELECT {figures} {window}",
            f"SELECT member.member_group, {figures} {window} GROUP BY 1",
        )
