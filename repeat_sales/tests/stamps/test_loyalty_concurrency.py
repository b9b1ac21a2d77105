# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import RepeatSalesCommon


@tagged("post_install", "-at_install")
class TestLoyaltyConcurrency(RepeatSalesCommon):
    """Two orders of one customer confirmed in two concurrent transactions.

    The data is committed (other connections must see it) and removed at the end.
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
                    for _i in range(2)
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
                [("order_id", "in", self.order_ids)]
            ).unlink()
            env["loyalty.card"].search([("program_id", "=", self.program_id)]).unlink()
            program = env["loyalty.program"].browse(self.program_id)
            program.active = False
            program.unlink()
            orders._action_cancel()
            orders.unlink()
            partner = env["res.partner"].browse(self.partner_id)
            partner.message_ids.unlink()
            partner.unlink()
            env["product.product"].browse(self.product_id).unlink()

    def _env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SET lock_timeout = '20s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_confirmations_counted_once_each(self):
        """The customer has no card yet: both transactions create it."""
        self._confirm_concurrently()

    def test_two_confirmations_on_an_existing_card(self):
        """The card exists: the second transaction trips on its row lock."""
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
        self._confirm_concurrently()

    def _confirm_concurrently(self):
        env1, env2 = self._env(), self._env()
        # Both transactions start before either confirms.
        env1.cr.execute("SELECT 1")
        env2.cr.execute("SELECT 1")
        env2["sale.order"].browse(self.order_ids[1]).action_confirm()
        env2.cr.commit()
        attempts = []

        def confirm_first():
            attempts.append(1)
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()

        # What Odoo does for every request: retry on a serialization failure.
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            retrying(confirm_first, env1)
        self.assertGreater(len(attempts), 1, "the transactions did not overlap")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].search([("program_id", "=", self.program_id)])
            self.assertEqual(len(card), 1)
            lines = card.repeat_stamp_line_ids.sorted("id")
            # 0.6 + 0.6 stamps of credit: the second confirmation completes a stamp.
            self.assertEqual(
                [(line.order_id.id, line.credit, line.stamps) for line in lines],
                [(self.order_ids[1], 0.6, 0), (self.order_ids[0], 0.6, 1)],
            )
            self.assertEqual(card.points, 1)
