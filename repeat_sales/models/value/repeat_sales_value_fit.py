# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ... import compat
from . import lifetime_math
from .lifetime_math import DAYS_PER_UNIT

_logger = logging.getLogger(__name__)

# Fewer customers than this (with a first order up to yesterday) are not fitted.
MIN_CUSTOMERS = 10
# Customers who ordered again on a later day needed for the BG/NBD fit.
MIN_REPEAT_CUSTOMERS = 3
# Customers with repeat purchases of positive value needed for Gamma-Gamma.
MIN_VALUE_CUSTOMERS = 10

FIT_STATES = [
    ("draft", "Not Fitted Yet"),
    ("fitted", "Fitted"),
    ("few_customers", "Not Enough Customers"),
    ("no_repeat", "Not Enough Repeat Customers"),
    ("not_converged", "Did Not Converge"),
]
VALUE_STATES = [
    ("draft", "Not Fitted Yet"),
    ("fitted", "Fitted"),
    ("few_customers", "Not Enough Repeat Purchases of Value"),
    ("not_converged", "Did Not Converge"),
    ("infinite_mean", "No Finite Mean"),
]


@compat.sql_constraints
class RepeatSalesValueFit(models.Model):
    """The customer value model of one company: BG/NBD for "still a customer,
    how many orders", Gamma-Gamma for "how much per order", fitted on the
    company's confirmed orders up to yesterday.

    A usable fit is kept for the company's refit days (7 by default, 1 refits
    every night): the nights between, only the customers with orders written
    since the last night are scored again, with the kept parameters; the
    others keep the figures of their last scoring.
    """

    _name = "repeat.sales.value.fit"
    _description = "Customer Value Model"
    _order = "company_id"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    state = fields.Selection(FIT_STATES, default="draft", required=True, readonly=True)
    value_state = fields.Selection(
        VALUE_STATES, default="draft", required=True, readonly=True
    )
    message = fields.Text(compute="_compute_message")
    fitted_on = fields.Datetime(readonly=True)
    data_until = fields.Date(
        string="Orders Up To", readonly=True, help="Last day of orders fitted."
    )
    duration = fields.Float(string="Fit Time (s)", digits=(16, 2), readonly=True)
    scored_until = fields.Date(
        string="Changed Customers Scored Up To",
        readonly=True,
        help="Last day of orders of the customers scored again with this fit "
        "(the others' figures are as of the fit's day).",
    )
    scored_at = fields.Datetime(
        readonly=True, help="Start of the last scoring: orders written since are new."
    )
    scored_count = fields.Integer(string="Customers Scored Last Night", readonly=True)
    discount_rate = fields.Float(
        string="Discount Rate Used (%)", digits=(16, 1), readonly=True
    )
    valuable_order_value = fields.Float(
        readonly=True,
        help="Expected order value of the top quarter of the customers at the "
        "fit: above it, a customer probably leaving is a valuable one.",
    )
    # Parameters at full precision (float8, no digits: the ORM would round
    # them to the digits when written); the views show 4 decimals.
    time_unit = fields.Selection(
        [("week", "Weeks")], default="week", required=True, readonly=True
    )
    customer_count = fields.Integer(string="Customers", readonly=True)
    repeat_customer_count = fields.Integer(string="Repeat Customers", readonly=True)
    r = fields.Float(string="r", readonly=True)
    alpha = fields.Float(string="α", readonly=True)
    alpha_days = fields.Float(string="α (Days)", compute="_compute_alpha_days")
    a = fields.Float(string="a", readonly=True)
    b = fields.Float(string="b", readonly=True)
    log_likelihood = fields.Float(readonly=True)
    iterations = fields.Integer(readonly=True)
    value_customer_count = fields.Integer(
        string="Customers with Repeat Value", readonly=True
    )
    p = fields.Float(string="p", readonly=True)
    q = fields.Float(string="q", readonly=True)
    v = fields.Float(string="v (γ)", readonly=True)
    value_log_likelihood = fields.Float(string="Value Log-likelihood", readonly=True)
    value_iterations = fields.Integer(readonly=True)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one value model."),
    ]

    @api.depends("alpha", "time_unit")
    def _compute_alpha_days(self):
        for fit in self:
            fit.alpha_days = fit.alpha * DAYS_PER_UNIT

    @api.depends("state", "value_state", "customer_count", "value_customer_count")
    def _compute_message(self):
        _ = self.env._
        for fit in self:
            lines = []
            if fit.state == "draft":
                lines.append(_("The model has not been fitted yet."))
            elif fit.state == "few_customers":
                lines.append(
                    _(
                        "%(count)s customers with orders up to yesterday: at least "
                        "%(needed)s are needed to fit the model.",
                        count=fit.customer_count,
                        needed=MIN_CUSTOMERS,
                    )
                )
            elif fit.state == "no_repeat":
                lines.append(
                    _(
                        "%(repeat)s of %(count)s customers ordered again on a later "
                        "day: at least %(needed)s are needed to tell how often "
                        "customers buy and when they stop.",
                        repeat=fit.repeat_customer_count,
                        count=fit.customer_count,
                        needed=MIN_REPEAT_CUSTOMERS,
                    )
                )
            elif fit.state == "not_converged":
                lines.append(
                    _(
                        "The purchase model did not converge: the orders do not "
                        "determine its parameters. No prediction is shown."
                    )
                )
            if fit.state == "fitted" and fit.value_state == "few_customers":
                lines.append(
                    _(
                        "%(count)s customers have repeat purchases of positive "
                        "value: at least %(needed)s are needed to predict order "
                        "values. Orders are predicted, values are not.",
                        count=fit.value_customer_count,
                        needed=MIN_VALUE_CUSTOMERS,
                    )
                )
            elif fit.state == "fitted" and fit.value_state == "not_converged":
                lines.append(
                    _(
                        "The order value model did not converge. Orders are "
                        "predicted, values are not."
                    )
                )
            elif fit.state == "fitted" and fit.value_state == "infinite_mean":
                lines.append(
                    _(
                        "Order values vary too much for a finite mean (q ≤ 1). "
                        "Orders are predicted, values are not."
                    )
                )
            fit.message = "\n".join(lines)

    # ------------------------------------------------------------------
    # Reading the orders
    # ------------------------------------------------------------------

    @api.model
    def _customer_histories(self, company, today, partner_ids=None):
        """Per customer of ``company``, from its confirmed orders before
        ``today``: purchase days after the first (frequency), days from the
        first to the last purchase day (recency), days from the first purchase
        day to yesterday (age), and the mean value of the repeat days.

        Orders count as for the engine (confirmed, the UTC day of date_order,
        untaxed in company currency); the orders of one day are one purchase.
        Returns numpy arrays: partner ids (int), frequency, recency, age and
        mean repeat value (float). ``partner_ids``: these customers only.
        """
        orders = self.env["repeat.sales.order.facts"]._orders_sql(
            partner_ids=partner_ids, company_ids=[company.id], date_before=today
        )
        self.env.cr.execute(
            SQL(
                """
                WITH days AS (
                    SELECT partner_id, order_date AS day, SUM(amount) AS value
                      FROM (%(orders)s) facts
                  GROUP BY 1, 2
                )
                SELECT partner_id,
                       COUNT(*) - 1,
                       MAX(day) - MIN(day),
                       %(today)s::date - 1 - MIN(day),
                       COALESCE((SUM(value) - (ARRAY_AGG(value ORDER BY day))[1])
                                / NULLIF(COUNT(*) - 1, 0), 0)::float8
                  FROM days
              GROUP BY partner_id
                """,
                orders=orders,
                today=today,
            )
        )
        rows = self.env.cr.fetchall()
        table = np.array(rows, dtype=float).reshape(len(rows), 5)
        return (
            table[:, 0].astype(np.int64),
            table[:, 1],
            table[:, 2],
            table[:, 3],
            table[:, 4],
        )

    # ------------------------------------------------------------------
    # Fit and scoring
    # ------------------------------------------------------------------

    @api.model
    def _fit_companies(self, companies):
        """Fit the model of each of these companies and score its customers."""
        fits = self.search([("company_id", "in", companies.ids)])
        missing = companies - fits.company_id
        fits |= self.create([{"company_id": company.id} for company in missing])
        # One company after the other: each is its own fit, on its own orders.
        for fit in fits:
            fit._fit()
        return fits

    def action_fit_now(self):
        for fit in self:
            fit._fit()
        return True

    def action_fit_all(self):
        self._fit_companies(self.env.companies)
        return True

    def _fit(self):
        self.ensure_one()
        started = time.perf_counter()
        scored_at = self.env.cr.now()
        company = self.company_id
        today = fields.Date.context_today(self)
        partner_ids, frequency, recency, age, mean_value = self._customer_histories(
            company, today
        )
        values = {
            "fitted_on": fields.Datetime.now(),
            "data_until": today - timedelta(days=1),
            "scored_until": today - timedelta(days=1),
            "scored_at": scored_at,
            "scored_count": len(partner_ids),
            "discount_rate": company.repeat_value_discount_rate,
            "valuable_order_value": 0.0,
            "customer_count": len(partner_ids),
            "repeat_customer_count": int((frequency > 0).sum()),
            "value_customer_count": int(((frequency > 0) & (mean_value > 0)).sum()),
        }
        purchases = self._fit_purchases(frequency, recency, age, values)
        order_values = None
        if purchases is not None:
            order_values = self._fit_order_values(frequency, mean_value, values)
        figures = [None] * 7
        if purchases is not None:
            figures = self._score(
                purchases, order_values, frequency, recency, age, mean_value
            )
            if figures[4] is not None:
                values["valuable_order_value"] = lifetime_math.valuable_threshold(
                    figures[4]
                )
        self.env["repeat.sales.partner.stat"]._store_value_figures(
            company, partner_ids, figures
        )
        values["duration"] = time.perf_counter() - started
        self.write(values)
        _logger.info(
            "repeat_sales: value model of %s: %s / %s in %.2f s",
            company.name,
            values.get("state"),
            values.get("value_state"),
            values["duration"],
        )

    @api.model
    def _fit_purchases(self, frequency, recency, age, values):
        """BG/NBD on the distinct (frequency, recency, age) rows; the fit's
        state and parameters go to ``values``. Returns the parameters, or
        None when there is no usable fit."""
        values.update(
            dict.fromkeys(("r", "alpha", "a", "b", "log_likelihood"), 0),
            **dict.fromkeys(("p", "q", "v", "value_log_likelihood"), 0),
            state="draft",
            value_state="draft",
            iterations=0,
            value_iterations=0,
        )
        if values["customer_count"] < MIN_CUSTOMERS:
            values["state"] = "few_customers"
            return None
        if values["repeat_customer_count"] < MIN_REPEAT_CUSTOMERS:
            values["state"] = "no_repeat"
            return None
        rows, counts, _inverse = lifetime_math.distinct_rows(frequency, recency, age)
        result = lifetime_math.fit_bgnbd(
            rows[:, 0], rows[:, 1] / DAYS_PER_UNIT, rows[:, 2] / DAYS_PER_UNIT, counts
        )
        values["iterations"] = result.iterations
        if not result.converged:
            values["state"] = "not_converged"
            return None
        r, alpha, a, b = result.params
        values.update(
            state="fitted",
            r=r,
            alpha=alpha,
            a=a,
            b=b,
            log_likelihood=result.log_likelihood,
        )
        return result.params

    @api.model
    def _fit_order_values(self, frequency, mean_value, values):
        """Gamma-Gamma on the customers with repeat purchases of positive
        value; its state and parameters go to ``values``."""
        used = (frequency > 0) & (mean_value > 0)
        values["value_customer_count"] = int(used.sum())
        if values["value_customer_count"] < MIN_VALUE_CUSTOMERS:
            values["value_state"] = "few_customers"
            return None
        # Mean values hardly repeat: one row per customer.
        result = lifetime_math.fit_gamma_gamma(
            frequency[used], mean_value[used], np.ones(values["value_customer_count"])
        )
        values["value_iterations"] = result.iterations
        if not result.converged:
            values["value_state"] = "not_converged"
            return None
        p, q, v = result.params
        values.update(p=p, q=q, v=v, value_log_likelihood=result.log_likelihood)
        if q <= 1:
            values["value_state"] = "infinite_mean"
            return None
        values["value_state"] = "fitted"
        return result.params

    def _score(
        self,
        purchases,
        order_values,
        frequency,
        recency,
        age,
        mean_value,
        threshold=None,
    ):
        return lifetime_math.score(
            purchases,
            order_values,
            frequency,
            recency,
            age,
            mean_value,
            self.company_id.repeat_value_discount_rate / 100,
            threshold=threshold,
        )
