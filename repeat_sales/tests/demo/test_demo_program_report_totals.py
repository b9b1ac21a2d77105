# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Segment history, offers, stamps and campaigns: demo report totals against SQL."""

from odoo import fields
from odoo.tests import tagged

from .report_totals_common import DemoReportTotalsCase


@tagged("post_install", "-at_install")
class TestDemoProgramReportTotals(DemoReportTotalsCase):
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

    def test_best_offer_rules_win_rate_over_all_closed_offers(self):
        closed = "offer.state IN ('won', 'declined', 'expired')"
        rates = f"""SELECT COUNT(offer.id) FILTER (WHERE offer.state = 'won'),
                           COUNT(offer.id) FILTER (WHERE {closed}),
                           100.0 * COUNT(offer.id) FILTER (WHERE offer.state = 'won')
                           / NULLIF(COUNT(offer.id) FILTER (WHERE {closed}), 0)
                      FROM repeat_sales_offer_rule rule
                      LEFT JOIN repeat_sales_offer offer ON offer.rule_id = rule.id
                     WHERE rule.active"""
        self._check(
            "repeat.sales.offer.rule.report",
            ["won_count", "closed_count", "win_rate"],
            ["kind"],
            rates,
            rates.replace("SELECT", "SELECT rule.kind,", 1) + " GROUP BY rule.kind",
        )

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

    def test_personal_coupons_given_used_and_their_revenue(self):
        today = fields.Date.context_today(self.env.user)
        coupons = """
            WITH coupons AS (
                SELECT card.id, card.expiration_date,
                       CASE WHEN card.repeat_followup_id IS NOT NULL THEN 'step'
                            WHEN card.repeat_campaign_member_id IS NOT NULL
                            THEN 'campaign'
                            ELSE 'call' END AS source,
                       (SELECT SUM(facts.amount) FROM (%(facts)s) facts
                         WHERE facts.company_id = card.repeat_company_id
                           AND facts.order_id IN (
                               SELECT order_id FROM sale_order_line
                                WHERE coupon_id = card.id)) AS revenue
                  FROM loyalty_card card
                 WHERE card.repeat_issue_date IS NOT NULL)"""
        figures = """COUNT(*), COUNT(revenue),
                     COUNT(*) FILTER (WHERE revenue IS NULL
                                        AND expiration_date < %(today)s),
                     COALESCE(SUM(revenue), 0),
                     100.0 * COUNT(revenue) / COUNT(*)"""
        self._check(
            "repeat.sales.coupon.report",
            ["sent", "used", "expired", "revenue", "use_rate"],
            ["source"],
            f"{coupons} SELECT {figures} FROM coupons",
            f"{coupons} SELECT source, {figures} FROM coupons GROUP BY source",
            today=today,
        )
