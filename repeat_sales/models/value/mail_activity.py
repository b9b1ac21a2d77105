# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import VALUE_FIGURES

# Activity field -> partner field it shows.
ACTIVITY_FIGURES = {
    "repeat_p_alive": "repeat_p_alive",
    "repeat_clv_12m": "repeat_clv_12m",
}


# The value figures of the customer an activity is planned on, so that My
# Follow-ups (the calls to make) sorts and filters by them. The current
# company's figures, as on the customer.
# pylint: disable=consider-merging-classes-inherited
class MailActivity(models.Model):
    _inherit = "mail.activity"

    repeat_p_alive = fields.Float(
        string="Probability Alive",
        compute="_compute_repeat_value_figures",
        search="_search_repeat_p_alive",
        groups="sales_team.group_sale_salesman",
        help="Probability that the customer still buys (value model).",
    )
    repeat_clv_12m = fields.Monetary(
        string="Value Next 12 Months",
        currency_field="repeat_currency_id",
        compute="_compute_repeat_value_figures",
        search="_search_repeat_clv_12m",
        groups="sales_team.group_sale_salesman",
        help="Expected value of the customer's orders over the next 12 months "
        "(value model).",
    )
    repeat_currency_id = fields.Many2one(
        "res.currency", compute="_compute_repeat_currency_id"
    )

    @api.depends_context("company")
    def _compute_repeat_currency_id(self):
        self.repeat_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    @api.depends("res_model", "res_id")
    def _compute_repeat_value_figures(self):
        on_partners = self.filtered(
            lambda activity: activity.res_model == "res.partner"
        )
        partners = self.env["res.partner"].browse(on_partners.mapped("res_id"))
        for activity in self:
            partner = (
                partners.browse(activity.res_id)
                if activity in on_partners
                else partners.browse()
            )
            for field_name, partner_field in ACTIVITY_FIGURES.items():
                activity[field_name] = partner[partner_field] if partner else False

    def _field_to_sql(self, alias, fname, query=None, *args, **kwargs):
        if fname in ACTIVITY_FIGURES:
            # The customer's figure as the partner reads it (its owner).
            return SQL(
                """(SELECT %(figure)s
                      FROM res_partner partner
                     WHERE %(res_model)s = 'res.partner'
                       AND partner.id = %(res_id)s)""",
                figure=self.env["res.partner"]._repeat_stat_subquery(
                    "partner", VALUE_FIGURES[ACTIVITY_FIGURES[fname]]
                ),
                res_model=SQL.identifier(alias, "res_model"),
                res_id=SQL.identifier(alias, "res_id"),
            )
        return super()._field_to_sql(alias, fname, query, *args, **kwargs)

    def _search_repeat_p_alive(self, operator, value):
        return self._search_on_customers("repeat_p_alive", operator, value)

    def _search_repeat_clv_12m(self, operator, value):
        return self._search_on_customers("repeat_clv_12m", operator, value)

    def _search_on_customers(self, partner_field, operator, value):
        partners = self.env["res.partner"].with_context(active_test=False)
        return [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", partners._search([(partner_field, operator, value)])),
        ]
