# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .coupon_common import CouponCommon


@tagged("post_install", "-at_install")
class TestCouponsUsed(CouponCommon):
    """A coupon on the quotation through Odoo's own coupon flow, and the
    managers' report of coupons given, used, expired and the revenue."""

    def _give(self, *partners):
        self._run_plan()
        return self._cards(self.env["res.partner"].union(*partners))

    def test_applied_on_the_quotation_through_odoos_flow_gives_the_discount(self):
        ann = self._customer("Ann Tiles", 30)
        card = self._give(ann)
        quotation = self._quotation(ann, 200.0).with_user(self.seller)
        self.assertEqual(quotation.repeat_coupon_ids, card)
        card.with_user(self.seller).with_context(
            repeat_order_id=quotation.id
        ).action_repeat_apply()
        # 10% of 200: one discount line of -20, from this coupon.
        discount = quotation.order_line.filtered("coupon_id")
        self.assertEqual(discount.coupon_id, card)
        self.assertAlmostEqual(discount.price_subtotal, -20.0)
        self.assertAlmostEqual(quotation.amount_untaxed, 180.0)
        self.assertFalse(quotation.repeat_coupon_ids, "applied: no longer offered")
        self.assertEqual(card.repeat_coupon_state, "valid", "a quotation uses nothing")
        quotation.action_confirm()
        self.assertEqual(card.repeat_coupon_state, "used")
        self.assertEqual(card.points, 0)
        self.assertEqual(ann.with_user(self.seller).repeat_coupon_count, 1)

    def test_odoos_flow_refuses_an_expired_coupon_and_a_small_order(self):
        ann = self._customer("Ann Tiles", 30)
        card = self._give(ann)
        small = self._quotation(ann, 50.0)
        with self.assertRaisesRegex(ValidationError, "minimum"):
            card.with_context(repeat_order_id=small.id).action_repeat_apply()
        card.expiration_date = self.today - timedelta(days=1)
        self.assertEqual(card.repeat_coupon_state, "expired")
        quotation = self._quotation(ann, 200.0)
        self.assertFalse(quotation.repeat_coupon_ids, "expired: not offered")
        with self.assertRaisesRegex(ValidationError, "expired"):
            card.with_context(repeat_order_id=quotation.id).action_repeat_apply()
        self.assertAlmostEqual(quotation.amount_untaxed, 200.0)
        self.assertFalse(quotation.order_line.filtered("coupon_id"))

    def _use(self, card, amount):
        order = self._quotation(card.partner_id, amount)
        card.with_context(repeat_order_id=order.id).action_repeat_apply()
        order.action_confirm()
        return order

    def test_report_counts_given_used_expired_and_revenue(self):
        ann = self._customer("Ann Tiles", 30)
        bob = self._customer("Bob Bricks", 30)
        cid = self._customer("Cid Stone", 30, user=self.other_seller)
        cards = self._give(ann, bob, cid)
        by_partner = {card.partner_id: card for card in cards}
        # Ann orders 300 with her coupon: 270 untaxed. Bob's coupon expires.
        self._use(by_partner[ann], 300.0)
        by_partner[bob].expiration_date = self.today - timedelta(days=1)
        Report = self.env["repeat.sales.coupon.report"]
        [(sent, used, expired, valid, revenue, rate)] = Report.with_user(
            self.manager
        )._read_group(
            [],
            [],
            [
                "sent:sum",
                "used:sum",
                "expired:sum",
                "valid:sum",
                "revenue:sum",
                "use_rate:avg",
            ],
        )
        self.assertEqual((sent, used, expired, valid), (3, 1, 1, 1))
        self.assertAlmostEqual(revenue, 270.0)
        self.assertAlmostEqual(rate, 100.0 / 3)
        by_user = {
            user: (sent, used, revenue)
            for user, sent, used, revenue in Report.with_user(self.manager)._read_group(
                [], ["user_id"], ["sent:sum", "used:sum", "revenue:sum"]
            )
        }
        self.assertEqual(
            by_user, {self.seller: (2, 1, 270.0), self.other_seller: (1, 0, 0.0)}
        )
        [(step, step_sent)] = Report.with_user(self.manager)._read_group(
            [], ["step_id"], ["sent:sum"]
        )
        self.assertEqual((step, step_sent), (self.step, 3))
        # A salesperson sees their own customers' coupons only.
        own = Report.with_user(self.other_seller).search([])
        self.assertEqual(own.partner_id, cid)
        # The totals equal a recount in plain SQL of the cards and their orders.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*),
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM sale_order_line line
                             JOIN sale_order so ON so.id = line.order_id
                            WHERE line.coupon_id = card.id AND so.state = 'sale')),
                       (SELECT SUM(so.amount_untaxed) FROM sale_order so
                         WHERE so.state = 'sale' AND so.id IN (
                               SELECT line.order_id FROM sale_order_line line
                                JOIN loyalty_card given ON given.id = line.coupon_id
                               WHERE given.repeat_issue_date IS NOT NULL))
                  FROM loyalty_card card
                 WHERE card.repeat_issue_date IS NOT NULL
                """
            )
        )
        recount_sent, recount_used, recount_revenue = self.env.cr.fetchone()
        self.assertEqual((sent, used), (recount_sent, recount_used))
        self.assertAlmostEqual(revenue, float(recount_revenue))

    def test_campaign_with_control_group_shows_the_coupons_uplift(self):
        customers = self.env["res.partner"].browse(
            [self._customer(f"Sleeper {n}", 200).id for n in range(4)]
        )
        template = self.env["mail.template"].create(
            {
                "name": "We miss you",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "We miss you",
                "body_html": "<p>Come back.</p>",
            }
        )
        campaign = self.env["repeat.sales.campaign"].create(
            {
                "name": "Spring",
                "segment": "sleeping",
                "partner_domain": repr([("id", "in", customers.ids)]),
                "mail_template_id": template.id,
                "control_share": 50.0,
                "seed": 7,
                "coupon_program_id": self.program.id,
                "coupon_validity_days": 30,
            }
        )
        self._commit_hooks()
        campaign.action_start()
        self.env["repeat.sales.campaign"]._cron_run_campaigns()
        cards = self._cards(customers)
        self.assertEqual(len(cards), 2)
        # One treated customer orders 400 with the coupon (360), none of the control.
        self._use(cards[0], 400.0)
        campaign = campaign.with_user(self.manager)
        campaign.invalidate_recordset()
        self.assertEqual((campaign.treated_ordered, campaign.control_ordered), (1, 0))
        self.assertAlmostEqual(campaign.treated_rate, 50.0)
        self.assertAlmostEqual(campaign.control_rate, 0.0)
        # 360 over 2 treated customers, against nothing over 2 in control.
        self.assertAlmostEqual(campaign.treated_revenue, 180.0)
        self.assertAlmostEqual(campaign.revenue_difference, 180.0)
        self.assertEqual(
            (campaign.coupon_sent_count, campaign.coupon_used_count), (2, 1)
        )
        self.assertAlmostEqual(campaign.coupon_revenue, 360.0)
