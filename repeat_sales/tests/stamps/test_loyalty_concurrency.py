# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from ... import compat
from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestLoyaltyConcurrency(RepeatSalesCommon):
    """Two orders of one customer confirmed in two concurrent transactions.

    The second transaction's snapshot is older than the first one's commit: it
    cannot take the card (nor the figures' row) without a serialization
    failure, so it posts right after its own commit instead, and is not
    retried. The data is committed (other connections must see it) and removed
    at the end.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.program_id = (
                env["loyalty.program"]
                .create(
                    {
                        "name": "Concurrent stamps",
                        "program_type": "loyalty",
                        "repeat_is_stamp_program": True,
                        "repeat_stamp_amount": 100.0,
                        "repeat_tier_ids": [Command.create({"name": "Member"})],
                    }
                )
                .id
            )
            partner = env["res.partner"].create({"name": "Concurrent Tiles"})
            product = env["product.product"].create({"name": "Tile", "taxes_id": []})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "price_unit": 60.0}
                            )
                        ],
                    }
                    for _i in range(3)
                ]
            )
            self.partner_id, self.product_id = partner.id, product.id
            self.order_ids = orders.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids)
            env["repeat.sales.stamp.line"].search(
                [("card_id.program_id", "=", self.program_id)]
            ).unlink()
            env["loyalty.card"].search([("program_id", "=", self.program_id)]).unlink()
            program = env["loyalty.program"].browse(self.program_id)
            program.active = False
            program.unlink()
            orders._action_cancel()
            orders.unlink()
            partner = env["res.partner"].browse(self.partner_id)
            env["repeat.sales.partner.stat"].search(
                [("partner_id", "=", partner.id)]
            ).unlink()
            partner.message_ids.unlink()
            partner.unlink()
            env["product.product"].browse(self.product_id).unlink()
            sellers = env["res.users"].browse(getattr(self, "seller_ids", []))
            seller_partners = sellers.partner_id
            sellers.unlink()
            seller_partners.unlink()

    def _env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET lock_timeout = '20s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_confirmations_counted_once_each(self):
        """The customer has no card yet: both transactions create it."""
        self._confirm_concurrently()

    def test_two_confirmations_on_an_existing_card(self):
        """The card exists: the second transaction finds it changed."""
        self._make_card()
        self._confirm_concurrently()

    def test_two_salespeople_confirm_without_a_retry(self):
        """Issue 24, item 10, with Odoo's plain salesperson rights: each of two
        salespeople confirms their own quotation of the customer, from
        overlapping snapshots; neither request is retried."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            group = env.ref("sales_team.group_sale_salesman")
            tag = self.id().rsplit(".", 1)[-1][:20]
            # A new user joins the default digest, whose row the test's own
            # transaction may hold: this cursor would wait for it forever.
            param = env["ir.config_parameter"]
            digest = param.get_param("digest.default_digest_emails")
            param.set_param("digest.default_digest_emails", False)
            sellers = env["res.users"].create(
                [
                    {
                        "name": f"Concurrent Seller {index}",
                        "login": f"rs_concurrent_{tag}_{index}",
                        compat.USER_GROUPS: [(6, 0, group.ids)],
                    }
                    for index in range(2)
                ]
            )
            param.set_param("digest.default_digest_emails", digest)
            self.seller_ids = sellers.ids
            for order, seller in zip(
                env["sale.order"].browse(self.order_ids[:2]), sellers, strict=True
            ):
                order.user_id = seller
        env1, env2 = self._overlapping_envs()
        env1, env2 = env1(user=self.seller_ids[0]), env2(user=self.seller_ids[1])
        env2["sale.order"].browse(self.order_ids[1]).action_confirm()
        env2.cr.commit()
        attempts = []

        def confirm_first():
            attempts.append(1)
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()

        retrying(confirm_first, env1)
        self.assertEqual(len(attempts), 1, "the confirmation was retried")
        self._assert_ledger([(1, 0.6, 0), (0, 0.6, 1)], points=1)
        self._assert_figures(2, 120.0)

    def _make_card(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["loyalty.card"]._repeat_cards(
                [
                    (
                        env["loyalty.program"].browse(self.program_id),
                        env["res.partner"].browse(self.partner_id),
                    )
                ]
            )

    def _overlapping_envs(self):
        """Two transactions whose snapshots are taken before either confirms."""
        env1, env2 = self._env(), self._env()
        env1.cr.execute("SELECT 1")
        env2.cr.execute("SELECT 1")
        return env1, env2

    def _confirm_concurrently(self):
        env1, env2 = self._overlapping_envs()
        env2["sale.order"].browse(self.order_ids[1]).action_confirm()
        env2.cr.commit()
        attempts = []

        def confirm_first():
            attempts.append(1)
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()

        # What Odoo does for every request: retry on a serialization failure.
        retrying(confirm_first, env1)
        self.assertEqual(len(attempts), 1, "the confirmation was retried")
        self._assert_ledger([(1, 0.6, 0), (0, 0.6, 1)], points=1)
        self._assert_figures(2, 120.0)

    def _assert_ledger(self, expected, points):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].search([("program_id", "=", self.program_id)])
            self.assertEqual(len(card), 1)
            lines = card.repeat_stamp_line_ids.sorted("id")
            # 0.6 + 0.6 stamps of credit: the second post completes a stamp.
            self.assertEqual(
                [(line.order_id.id, line.credit, line.stamps) for line in lines],
                [(self.order_ids[i], credit, stamps) for i, credit, stamps in expected],
            )
            self.assertEqual(card.points, points)
            self.assertEqual(len(card.history_ids), len(lines))
            orders = env["sale.order"].browse(self.order_ids)
            self.assertFalse(any(orders.mapped("repeat_stamps_pending")))

    def _assert_figures(self, order_count, revenue):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            stat = env["repeat.sales.partner.stat"].search(
                [("partner_id", "=", self.partner_id)]
            )
            self.assertEqual((stat.order_count, stat.revenue), (order_count, revenue))

    def test_a_crash_after_commit_is_posted_by_the_nightly_run(self):
        """The process dies between the commit and the post after it: the order
        stays marked, and the nightly stamps step posts it, once."""
        self._make_card()
        env1, env2 = self._overlapping_envs()
        env2["sale.order"].browse(self.order_ids[1]).action_confirm()
        env2.cr.commit()
        env1["sale.order"].browse(self.order_ids[0]).action_confirm()
        env1.cr.flush()
        env1.cr.postcommit.clear()  # what a killed worker never runs
        env1.cr.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_ids[0])
            self.assertTrue(order.repeat_stamps_pending)
            self.assertFalse(
                env["repeat.sales.stamp.line"].search([("order_id", "=", order.id)])
            )
        for _run in range(2):
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})[
                    "repeat.sales.stamp.line"
                ]._cron_daily()
        self._assert_ledger([(1, 0.6, 0), (0, 0.6, 1)], points=1)

    def test_two_gifts_for_one_full_card(self):
        """Two quotations each take the customer's only full card: the one
        confirmed second must not, whatever its snapshot saw."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            program = env["loyalty.program"].browse(self.program_id)
            gift = env["loyalty.reward"].create(
                {
                    "program_id": program.id,
                    "reward_type": "product",
                    "reward_product_id": self.product_id,
                    "required_points": 10,
                }
            )
            orders = env["sale.order"].browse(self.order_ids)
            # 10 stamps from a first order of 1,000.
            orders[2].order_line.price_unit = 1000.0
            orders[2].action_confirm()
            for order in orders[:2]:
                order.order_line = [
                    Command.create(
                        {
                            "product_id": gift.reward_product_id.id,
                            "price_unit": 0.0,
                            "repeat_gift_id": gift.id,
                        }
                    )
                ]
        env1, env2 = self._overlapping_envs()
        env2["sale.order"].browse(self.order_ids[1]).action_confirm()
        env2.cr.commit()

        def confirm_first():
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()

        # The card changed after the snapshot: the request is retried (the
        # balance must be read exact), and the retry finds no full card.
        with (
            mute_logger("odoo.sql_db", "odoo.service.model"),
            self.assertRaises(UserError),
        ):
            retrying(confirm_first, env1)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].search([("program_id", "=", self.program_id)])
            self.assertEqual(card.points, 0)
            self.assertEqual(card.repeat_stamp_balance, 0)
            self.assertEqual(env["sale.order"].browse(self.order_ids[0]).state, "draft")
