# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round

from ... import compat
from .repeat_sales_bonus_figures import FIGURES, MEASURES, whole_units

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter")]
PERIOD_MONTHS = {"month": 1, "quarter": 3}
BONUS_TYPES = [
    ("salary", "Share of Salary"),
    ("fund", "Bonus Fund"),
]
MANAGER = "sales_team.group_sale_manager"


@compat.sql_constraints
class RepeatSalesBonusPeriod(models.Model):
    """A salesperson's plan for a month or a quarter, and the bonus it earns.

    The manager sets the plan (a target on a measure) and the bonus terms; the
    achieved figures come from the addon's data (``repeat.sales.bonus.figures``)
    when the figures are updated. Plan fulfilment is rounded to a whole percent
    and money to whole currency units, as in the article:

    - share of salary: bonus = salary × fulfilment × bonus percentage, the
      percentage being the maximum less a cut per remark (700 × 91% × 30% = 191);
    - bonus fund: fund = sales volume × the scale's percentage for the
      fulfilment (86,000 × 1.3% = 1,118), bonus = fund × share of targets met
      (1,118 × 70% = 783);
    - a quarter adds the quarterly bonus (a share of salary) when the
      salesperson had at most the allowed complaints and lost no customer.

    Salary and bonus figures are the managers' only (field groups).
    """

    _name = "repeat.sales.bonus.period"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Salesperson Plan and Bonus"
    _order = "date_from desc, user_id"
    _repeat_ranges = {
        "target": (0, None),
        "base_salary": (0, None),
        "max_bonus_percent": (0, 100),
        "remark_count": (0, 1000),
        "remark_cut_percent": (0, 100),
        "targets_met_percent": (0, 100),
        "quarterly_bonus_percent": (0, 100),
        "max_complaints": (0, 1000),
    }
    _repeat_derived_fields = FIGURES + ("figures_date",)
    _sql_constraints = [
        (
            "period_uniq",
            "unique(user_id, company_id, period_type, date_from)",
            "A salesperson has one plan per period.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    period_type = fields.Selection(
        PERIOD_TYPES, string="Period", required=True, default="month"
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The first day of the month or of the quarter.",
    )
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True)
    measure = fields.Selection(MEASURES, required=True, default="orders")
    target = fields.Float(string="Plan", required=True, digits=(16, 2))
    achieved = fields.Float(compute="_compute_achieved", store=True, digits=(16, 2))
    fulfilment = fields.Integer(
        string="Plan Fulfilment (%)",
        compute="_compute_achieved",
        store=True,
        aggregator="avg",
        help="Achieved / plan, rounded to a whole percent.",
    )
    figures_date = fields.Datetime(string="Figures Updated On", readonly=True)
    # The figures of the period, written by "Update Figures".
    orders = fields.Integer(readonly=True)
    revenue = fields.Monetary(string="Sales Volume", readonly=True)
    repeat_orders = fields.Integer(readonly=True)
    repeat_revenue = fields.Monetary(readonly=True)
    reactivated = fields.Integer(string="Reactivated Customers", readonly=True)
    complaints = fields.Integer(readonly=True)
    customers_lost = fields.Integer(
        readonly=True, help="The salesperson's customers who turned sleeping."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    remark_count = fields.Integer(string="Remarks")
    # Bonus terms and money: the managers' only.
    bonus_type = fields.Selection(
        BONUS_TYPES, required=True, default="salary", groups=MANAGER
    )
    base_salary = fields.Monetary(groups=MANAGER)
    max_bonus_percent = fields.Float(
        string="Maximum Bonus (% of Salary)", default=40.0, groups=MANAGER
    )
    remark_cut_percent = fields.Float(
        string="Cut per Remark (%)",
        default=10.0,
        groups=MANAGER,
        help="Points of bonus percentage each remark takes off.",
    )
    targets_met_percent = fields.Float(
        string="Targets Met (% of Fund)",
        default=100.0,
        groups=MANAGER,
        help="The share of the bonus fund paid, for the targets met.",
    )
    quarterly_bonus_percent = fields.Float(
        string="Quarterly Bonus (% of Salary)", default=20.0, groups=MANAGER
    )
    max_complaints = fields.Integer(
        string="Complaints Allowed", default=2, groups=MANAGER
    )
    bonus_percent = fields.Float(
        string="Bonus Percentage",
        compute="_compute_bonus",
        store=True,
        groups=MANAGER,
    )
    fund_percent = fields.Float(
        string="Fund Percentage", compute="_compute_bonus", store=True, groups=MANAGER
    )
    fund = fields.Monetary(
        string="Bonus Fund", compute="_compute_bonus", store=True, groups=MANAGER
    )
    bonus = fields.Monetary(compute="_compute_bonus", store=True, groups=MANAGER)
    quarterly_bonus = fields.Monetary(
        compute="_compute_bonus", store=True, groups=MANAGER
    )
    total_bonus = fields.Monetary(compute="_compute_bonus", store=True, groups=MANAGER)
    total_pay = fields.Monetary(
        string="Salary and Bonus", compute="_compute_bonus", store=True, groups=MANAGER
    )

    @api.depends("user_id", "period_type", "date_from")
    def _compute_name(self):
        for period in self:
            if not (period.user_id and period.date_from):
                period.name = False
                continue
            start = period.date_from
            if period.period_type == "quarter":
                label = f"Q{(start.month - 1) // 3 + 1} {start.year}"
            else:
                label = start.strftime("%Y-%m")
            period.name = f"{period.user_id.name} {label}"

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for period in self:
            if period.date_from and period.period_type:
                months = PERIOD_MONTHS[period.period_type]
                period.date_to = period.date_from + relativedelta(
                    months=months, days=-1
                )
            else:
                period.date_to = False

    @api.depends("measure", "target", *FIGURES)
    def _compute_achieved(self):
        for period in self:
            period.achieved = period[period.measure] if period.measure else 0.0
            period.fulfilment = (
                int(float_round(period.achieved / period.target * 100, 0))
                if period.target
                else 0
            )

    @api.depends(
        "period_type",
        "figures_date",
        "fulfilment",
        "revenue",
        "complaints",
        "customers_lost",
        "remark_count",
        "bonus_type",
        "base_salary",
        "max_bonus_percent",
        "remark_cut_percent",
        "targets_met_percent",
        "quarterly_bonus_percent",
        "max_complaints",
    )
    def _compute_bonus(self):
        Scale = self.env["repeat.sales.bonus.scale"]
        funds = self.filtered(lambda period: period.bonus_type == "fund")
        scales = Scale._scales(funds.company_id) if funds else {}
        for period in self:
            salary = period.base_salary
            period.bonus_percent = max(
                period.max_bonus_percent
                - period.remark_count * period.remark_cut_percent,
                0.0,
            )
            if period.bonus_type == "fund":
                period.fund_percent = Scale._fund_percent(
                    period.company_id, period.fulfilment, scales
                )
                period.fund = whole_units(period.revenue * period.fund_percent / 100)
                period.bonus = whole_units(
                    period.fund * period.targets_met_percent / 100
                )
            else:
                period.fund_percent = 0.0
                period.fund = 0.0
                period.bonus = whole_units(
                    salary * period.fulfilment / 100 * period.bonus_percent / 100
                )
            period.quarterly_bonus = (
                whole_units(salary * period.quarterly_bonus_percent / 100)
                if period._earns_quarterly_bonus()
                else 0.0
            )
            period.total_bonus = period.bonus + period.quarterly_bonus
            period.total_pay = salary + period.total_bonus

    def _earns_quarterly_bonus(self):
        """A quarter with at most the allowed complaints and no customer lost."""
        self.ensure_one()
        return (
            self.period_type == "quarter"
            and bool(self.figures_date)
            and self.complaints <= self.max_complaints
            and not self.customers_lost
        )

    @api.constrains("period_type", "date_from")
    def _check_period_start(self):
        for period in self:
            start = period.date_from
            months = PERIOD_MONTHS[period.period_type]
            if start.day != 1 or (start.month - 1) % months:
                raise ValidationError(
                    self.env._(
                        "A plan starts on the first day of a month, or of a "
                        "quarter (January, April, July, October) for a quarter."
                    )
                )

    @api.constrains("target")
    def _check_target(self):
        if any(period.target <= 0 for period in self):
            raise ValidationError(self.env._("The plan must be above zero."))

    @api.model_create_multi
    def create(self, vals_list):
        periods = super().create(vals_list)
        periods._update_figures()
        return periods

    def action_update_figures(self):
        self.check_access("write")
        self._update_figures()
        return True

    def _update_figures(self):
        """Read each period's figures, one query set per company and period."""
        Figures = self.env["repeat.sales.bonus.figures"]
        now = fields.Datetime.now()
        by_period = self.grouped(lambda p: (p.company_id, p.date_from, p.date_to))
        for (company, date_from, date_to), periods in by_period.items():
            figures = Figures.with_company(company)._figures(
                company, date_from, date_to, periods.user_id
            )
            for period in periods:
                # sudo: the figures are the addon's own (_repeat_derived_fields),
                # written on these periods only, which the caller may write.
                period.sudo().write({**figures[period.user_id.id], "figures_date": now})
