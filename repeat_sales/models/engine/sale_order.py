# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part reacting to orders: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .repeat_sales_partner_stat import CUSTOMER_SEGMENTS

# Order fields the customer figures are computed from.
FIGURE_SOURCES = {"state", "partner_id", "company_id", "date_order", "currency_id"}


class SaleOrder(models.Model):
    """The engine's side of orders: the customer's segment and the order's
    rank on the order, and the figures kept in line with every change."""

    _inherit = "sale.order"

    repeat_segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        string="Customer Segment",
        compute="_compute_repeat_segment",
        groups="sales_team.group_sale_salesman",
    )
    repeat_order_rank = fields.Integer(
        string="Order Rank",
        compute="_compute_repeat_order_history",
        groups="sales_team.group_sale_salesman",
        help="1 for the customer's first confirmed order in this company, 2 for the "
        "second, and so on.",
    )
    repeat_reactivated = fields.Boolean(
        string="Reactivated a Sleeping Customer",
        compute="_compute_repeat_order_history",
        groups="sales_team.group_sale_salesman",
        help="The customer's previous confirmed order was older than the company's "
        "warm threshold when this order was placed.",
    )

    def init(self):
        res = super().init()
        # The daily update reads the orders written since its last run.
        create_index(
            self.env.cr,
            "sale_order_repeat_sales_write_date_idx",
            self._table,
            ["write_date"],
        )
        return res

    @api.depends("partner_id", "company_id")
    def _compute_repeat_segment(self):
        self.repeat_segment = False
        for company, orders in (
            self.filtered("partner_id").grouped("company_id").items()
        ):
            for order in orders:
                # One env per company: its partners' figures compute in one batch.
                order.repeat_segment = order.partner_id.with_company(
                    company
                ).repeat_segment

    @api.depends("state", "partner_id", "company_id", "date_order")
    def _compute_repeat_order_history(self):
        self.repeat_order_rank = 0
        self.repeat_reactivated = False
        facts = self.env["repeat.sales.order.facts"]
        counted = facts._counted(self)
        if not counted:
            return
        self.env["res.company"].flush_model(["repeat_warm_days"])
        self.env.cr.execute(
            SQL(
                """
                SELECT ranked.order_id, ranked.rank,
                       ranked.order_date - ranked.previous_date
                           > company.repeat_warm_days
                  FROM (
                    SELECT facts.order_id, facts.company_id, facts.order_date,
                           ROW_NUMBER() OVER customer_orders AS rank,
                           LAG(facts.order_date) OVER customer_orders
                               AS previous_date
                      FROM (%(facts)s) facts
                    WINDOW customer_orders AS (
                        PARTITION BY facts.partner_id, facts.company_id
                        ORDER BY facts.date_order, facts.order_id)
                  ) ranked
                  JOIN res_company company ON company.id = ranked.company_id
                 WHERE ranked.order_id = ANY(%(order_ids)s)
                """,
                facts=facts._orders_sql(
                    partner_ids=counted.partner_id.commercial_partner_id.ids
                ),
                order_ids=counted.ids,
            )
        )
        for order_id, rank, reactivated in self.env.cr.fetchall():
            order = self.browse(order_id)
            order.repeat_order_rank = rank
            order.repeat_reactivated = bool(reactivated)

    def _repeat_company_amount(self):
        """The untaxed amount in company currency, as the figures count it."""
        self.ensure_one()
        return self.env["repeat.sales.order.facts"]._amount(self)

    # ------------------------------------------------------------------
    # Keep the customer figures in line with the orders
    # ------------------------------------------------------------------

    def _repeat_sales_mark_changed(self):
        counted = self.env["repeat.sales.order.facts"]._counted(self)
        if counted:
            self.env["repeat.sales.partner.stat"]._mark_partners_changed(
                counted.partner_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._repeat_sales_mark_changed()
        return orders

    def write(self, vals):
        sources_change = FIGURE_SOURCES & vals.keys()
        if sources_change:
            self._repeat_sales_mark_changed()
        result = super().write(vals)
        if sources_change:
            self._repeat_sales_mark_changed()
        return result

    def unlink(self):
        self._repeat_sales_mark_changed()
        return super().unlink()

    def _repeat_on_amounts_changed(self):
        result = super()._repeat_on_amounts_changed()
        # Line changes on a confirmed order reach the figures through its amount.
        self._repeat_sales_mark_changed()
        return result
