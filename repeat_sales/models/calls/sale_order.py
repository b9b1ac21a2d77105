# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part reacting to orders: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    """Orders credited to the reached call they follow."""

    _inherit = "sale.order"

    repeat_call_id = fields.Many2one(
        "repeat.sales.call",
        string="Won by Call",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The reached reactivation call this order is credited to.",
    )

    def action_repeat_sales_log_call(self):
        self.ensure_one()
        return self.partner_id.action_repeat_sales_log_call()

    def _repeat_confirmation_checks(self):
        self.env["repeat.sales.call"].flush_model(
            ["partner_id", "company_id", "active"]
        )
        return {
            **super()._repeat_confirmation_checks(),
            "calls": SQL(
                """EXISTS (
                       SELECT FROM repeat_sales_call call
                        WHERE call.partner_id = ANY(scope.partner_ids)
                          AND call.company_id = ANY(scope.company_ids)
                          AND call.active)"""
            ),
        }

    def _repeat_on_confirmed(self, work):
        result = super()._repeat_on_confirmed(work)
        if work.get("calls"):
            # sudo: calls and reminders of other salespeople count too.
            self.env["repeat.sales.call"].sudo()._on_orders_confirmed(self)
        return result
