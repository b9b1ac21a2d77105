# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Partner field -> column of repeat.sales.partner.stat it shows.
VALUE_FIGURES = {"repeat_p_alive": "p_alive", "repeat_clv_12m": "clv_12m"}
# What a search on these figures may ask; an empty figure matches none.
COMPARISONS = ("<", "<=", ">", ">=", "=", "!=")


# The value part's figures on the partner, read like the engine's (see
# models/res_partner.py): the current company's, searchable and sortable.
# pylint: disable=consider-merging-classes-inherited
class ResPartner(models.Model):
    _inherit = "res.partner"

    repeat_p_alive = fields.Float(
        string="Probability Alive",
        compute="_compute_repeat_value_figures",
        search="_search_repeat_p_alive",
        groups="sales_team.group_sale_salesman",
        help="Probability that the customer still buys from the company (value "
        "model); empty without a prediction.",
    )
    repeat_clv_12m = fields.Monetary(
        string="Value Next 12 Months",
        currency_field="repeat_currency_id",
        compute="_compute_repeat_value_figures",
        search="_search_repeat_clv_12m",
        groups="sales_team.group_sale_salesman",
        help="Expected value of the customer's orders over the next 12 months "
        "(value model); empty without a prediction.",
    )

    @api.model
    def _repeat_sales_figure_fields(self):
        return [*super()._repeat_sales_figure_fields(), *VALUE_FIGURES]

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_repeat_value_figures(self):
        stats = self.env["repeat.sales.partner.stat"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        stat_by_partner = {stat.partner_id.id: stat for stat in stats}
        for partner in self:
            stat = stat_by_partner.get(partner.commercial_partner_id.id)
            for field_name, column in VALUE_FIGURES.items():
                partner[field_name] = stat[column] if stat else False

    def _field_to_sql(self, alias, fname, query=None, *args, **kwargs):
        if fname in VALUE_FIGURES:
            return self._repeat_stat_subquery(alias, VALUE_FIGURES[fname])
        return super()._field_to_sql(alias, fname, query, *args, **kwargs)

    def _search_repeat_p_alive(self, operator, value):
        return self._search_value_figure("p_alive", operator, value)

    def _search_repeat_clv_12m(self, operator, value):
        return self._search_value_figure("clv_12m", operator, value)

    def _search_value_figure(self, column, operator, value):
        """Partners whose figure compares so; ``= False``: those without one."""
        if operator not in COMPARISONS:
            return NotImplemented
        if value is False or value is None:
            if operator not in ("=", "!="):
                return NotImplemented
            domain = self._search_on_stats([(column, "!=", False)])
            return domain if operator == "!=" else ["!", *domain]
        return self._search_on_stats([(column, operator, value)])
