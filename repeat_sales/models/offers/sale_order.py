# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part reacting to orders: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import SQL

from .repeat_sales_offer import OPEN_STATES


class SaleOrder(models.Model):
    """Open offers shown on the quotation; an order wins the offers it holds."""

    _inherit = "sale.order"

    repeat_offer_ids = fields.Many2many(
        "repeat.sales.offer",
        string="Suggested for this Customer",
        compute="_compute_repeat_offer_ids",
        groups="sales_team.group_sale_salesman",
        help="Open offers of the customer for products not on this order yet.",
    )

    @api.depends("partner_id", "company_id", "order_line.product_id")
    def _compute_repeat_offer_ids(self):
        offers = self.env["repeat.sales.offer"].search(
            [
                ("state", "in", OPEN_STATES),
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_customer = offers.grouped(lambda offer: (offer.partner_id, offer.company_id))
        for order in self:
            customer = (order.partner_id.commercial_partner_id, order.company_id)
            open_offers = by_customer.get(customer, offers.browse())
            order.repeat_offer_ids = open_offers.filtered(
                lambda offer, order=order: (
                    offer.product_id not in order.order_line.product_id
                )
            )

    def _repeat_confirmation_checks(self):
        self.env["repeat.sales.offer"].flush_model(
            ["partner_id", "company_id", "state"]
        )
        return {
            **super()._repeat_confirmation_checks(),
            "offers": SQL(
                """EXISTS (
                       SELECT FROM repeat_sales_offer offer
                        WHERE offer.partner_id = ANY(scope.partner_ids)
                          AND offer.company_id = ANY(scope.company_ids)
                          AND offer.state IN %s)""",
                OPEN_STATES,
            ),
        }

    def _repeat_on_confirmed(self, work):
        result = super()._repeat_on_confirmed(work)
        if work.get("offers"):
            # sudo: offers of the customer may belong to another salesperson;
            # the order wins them whoever confirms it.
            self.env["repeat.sales.offer"].sudo()._win_from_orders(self)
        return result
