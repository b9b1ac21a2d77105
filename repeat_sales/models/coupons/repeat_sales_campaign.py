# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# A campaign may give each treated customer it reaches a personal coupon; the
# control group gets none, so the campaign's results measure its uplift.
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesCampaign(models.Model):
    _name = "repeat.sales.campaign"
    _inherit = ["repeat.sales.campaign", "repeat.sales.coupon.offer"]

    coupon_sent_count = fields.Integer(
        string="Coupons Given",
        compute="_compute_coupon_figures",
        groups="sales_team.group_sale_manager",
    )
    coupon_used_count = fields.Integer(
        string="Coupons Used",
        compute="_compute_coupon_figures",
        groups="sales_team.group_sale_manager",
    )
    coupon_revenue = fields.Monetary(
        string="Revenue of Orders with a Coupon",
        compute="_compute_coupon_figures",
        groups="sales_team.group_sale_manager",
    )

    def _compute_coupon_figures(self):
        saved = self.browse(self.ids)
        figures = {
            campaign: (sent, used, revenue)
            for campaign, sent, used, revenue in self.env[
                "repeat.sales.coupon.report"
            ]._read_group(
                [("campaign_id", "in", saved.ids)],
                ["campaign_id"],
                ["sent:sum", "used:sum", "revenue:sum"],
            )
        }
        for campaign in self:
            sent, used, revenue = figures.get(campaign, (0, 0, 0.0))
            campaign.coupon_sent_count = sent
            campaign.coupon_used_count = used
            campaign.coupon_revenue = revenue
