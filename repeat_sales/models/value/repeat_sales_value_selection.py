# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RepeatSalesValueSelection(models.AbstractModel):
    """Limits on the value model's figures that select customers: a plan step
    or a campaign only for customers likely still buying, likely leaving, or
    worth at least so much over the next 12 months.

    A limit at its default (0%, 100%, 0) selects nobody out. A limit set
    leaves out the customers without a prediction (no fitted model, or a first
    order newer than the last fit): nothing says they pass it.
    """

    _name = "repeat.sales.value.selection"
    _description = "Customer Selection by Value"

    min_p_alive = fields.Float(
        string="Probability Alive From",
        default=0.0,
        help="Only customers at least this likely to still buy (value model). "
        "0% selects nobody out.",
    )
    max_p_alive = fields.Float(
        string="Probability Alive Up To",
        default=1.0,
        help="Only customers at most this likely to still buy: those probably "
        "leaving. 100% selects nobody out.",
    )
    min_clv_12m = fields.Monetary(
        string="Value Next 12 Months From",
        default=0.0,
        currency_field="value_currency_id",
        help="Only customers whose expected value over the next 12 months is at "
        "least this. 0 selects nobody out.",
    )

    # in the currency of the model's company (``company_id``)
    value_currency_id = fields.Many2one(
        "res.currency", compute="_compute_value_currency_id"
    )

    @api.depends("company_id")
    def _compute_value_currency_id(self):
        for record in self:
            record.value_currency_id = record.company_id.currency_id

    @api.constrains("min_p_alive", "max_p_alive", "min_clv_12m")
    def _check_value_selection(self):
        for record in self:
            if not 0 <= record.min_p_alive <= record.max_p_alive <= 1:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the probability alive goes from 0%% to 100%%, "
                        "and its lower limit cannot be above its upper limit.",
                        name=record.display_name,
                    )
                )
            if record.min_clv_12m < 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the lowest value over the next 12 months "
                        "cannot be negative.",
                        name=record.display_name,
                    )
                )

    def _value_partner_domain(self):
        """The limits as a domain on partners (their figures in env.company)."""
        self.ensure_one()
        domain = []
        if self.min_p_alive > 0:
            domain.append(("repeat_p_alive", ">=", self.min_p_alive))
        if self.max_p_alive < 1:
            domain.append(("repeat_p_alive", "<=", self.max_p_alive))
        if self.min_clv_12m > 0:
            domain.append(("repeat_clv_12m", ">=", self.min_clv_12m))
        return domain
