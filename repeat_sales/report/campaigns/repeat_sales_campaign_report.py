# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class RepeatSalesCampaignReport(models.Model):
    """Campaign results per customer: did they order within the window, for how much.

    One row per campaign customer, treated or control; orders count from the
    campaign's start day to the end of its window, in the campaign's company.
    """

    _name = "repeat.sales.campaign.report"
    _description = "Campaign Results"
    _auto = False
    _order = "campaign_id desc, member_group"
    _rec_name = "partner_id"
    _depends = {
        "repeat.sales.campaign.member": [
            "campaign_id",
            "partner_id",
            "company_id",
            "member_group",
            "contact_state",
        ],
        "repeat.sales.campaign": ["start_date", "window_days"],
        "res.partner": ["user_id"],
        "res.users": ["sale_team_id"],
        "sale.order": [
            "state",
            "partner_id",
            "company_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
        ],
    }

    campaign_id = fields.Many2one("repeat.sales.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    member_group = fields.Selection(
        [("treated", "Treated"), ("control", "Control")], string="Group", readonly=True
    )
    contact_state = fields.Selection(
        [
            ("none", "Not Contacted (Control)"),
            ("pending", "To Contact"),
            ("contacted", "Contacted"),
            ("skipped", "Skipped"),
        ],
        readonly=True,
    )
    customer_count = fields.Integer(string="Customers", readonly=True, aggregator="sum")
    ordered = fields.Integer(
        string="Customers Who Ordered", readonly=True, aggregator="sum"
    )
    revenue = fields.Monetary(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The campaign's 95% interval of the treated - control difference, as its
    # form shows it: the campaign computes it, the report only repeats it.
    rate_low = fields.Float(
        related="campaign_id.rate_low", groups="sales_team.group_sale_manager"
    )
    rate_high = fields.Float(
        related="campaign_id.rate_high", groups="sales_team.group_sale_manager"
    )
    revenue_low = fields.Monetary(
        related="campaign_id.revenue_low", groups="sales_team.group_sale_manager"
    )
    revenue_high = fields.Monetary(
        related="campaign_id.revenue_high", groups="sales_team.group_sale_manager"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT result.id, result.campaign_id, result.company_id,
                   result.partner_id, result.user_id,
                   salesperson.sale_team_id AS team_id, result.member_group,
                   result.contact_state, 1 AS customer_count,
                   (result.revenue IS NOT NULL)::integer AS ordered,
                   COALESCE(result.revenue, 0) AS revenue
              FROM (%s) result
              LEFT JOIN res_users salesperson ON salesperson.id = result.user_id
            """,
            self._results_sql(),
        )

    @api.model
    def _results_sql(self):
        """Each campaign customer with the revenue of the window (NULL: no order)."""
        return SQL(
            """
            SELECT member.id, member.campaign_id, member.company_id, member.partner_id,
                   customer.user_id, member.member_group, member.contact_state,
                   won.revenue
              FROM repeat_sales_campaign_member member
              JOIN repeat_sales_campaign campaign ON campaign.id = member.campaign_id
              JOIN res_partner customer ON customer.id = member.partner_id
              LEFT JOIN LATERAL (
                   SELECT SUM(facts.amount) AS revenue FROM (%s) facts
              ) won ON TRUE
            """,
            self.env["repeat.sales.order.facts"]._orders_sql(
                partner_ids=SQL("member.partner_id"),
                company_ids=SQL("member.company_id"),
                date_from=SQL("campaign.start_date"),
                date_before=SQL("campaign.start_date + campaign.window_days"),
            ),
        )
