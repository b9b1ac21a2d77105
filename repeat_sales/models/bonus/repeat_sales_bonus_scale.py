# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RepeatSalesBonusScale(models.Model):
    """The bonus fund's percentage of sales volume, growing with plan fulfilment.

    A row applies from its fulfilment up to the next row's: with the default
    scale a salesperson who fulfilled the plan at 107% gets a fund of 1.3% of
    their sales volume (the article's example). Rows of a company replace the
    shared rows (without company) for that company.
    """

    _name = "repeat.sales.bonus.scale"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Bonus Fund Scale"
    _order = "company_id, fulfilment_from"
    _rec_name = "fulfilment_from"
    _repeat_ranges = {"fulfilment_from": (0, 1000), "fund_percent": (0, 100)}

    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for a scale shared by every company without its own.",
    )
    fulfilment_from = fields.Float(
        string="Plan Fulfilment From (%)",
        required=True,
        digits=(16, 1),
        help="The row applies from this plan fulfilment up to the next row's.",
    )
    fund_percent = fields.Float(
        string="Fund (% of Sales Volume)", required=True, digits=(16, 2)
    )

    @api.model
    def _scales(self, companies):
        """{company id: [(fulfilment from, fund percent), …] ascending} of
        ``companies``, in one search."""
        rows = self.search(
            [("company_id", "in", [*companies.ids, False])], order="fulfilment_from"
        )
        shared = [(r.fulfilment_from, r.fund_percent) for r in rows if not r.company_id]
        return {
            company.id: [
                (row.fulfilment_from, row.fund_percent)
                for row in rows
                if row.company_id == company
            ]
            or shared
            for company in companies
        }

    @api.model
    def _fund_percent(self, company, fulfilment, scales=None):
        """The fund percentage for ``fulfilment`` (in %) in ``company``: the
        row with the highest fulfilment at or below it; 0 below every row."""
        scale = (scales or self._scales(company))[company.id]
        percent = 0.0
        for fulfilment_from, fund_percent in scale:
            if fulfilment_from <= fulfilment:
                percent = fund_percent
        return percent
