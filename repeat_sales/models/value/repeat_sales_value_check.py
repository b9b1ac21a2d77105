# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import numpy as np

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from . import lifetime_math
from .lifetime_math import DAYS_PER_UNIT
from .repeat_sales_value_fit import FIT_STATES

# Customers are grouped by their repeat purchases in the calibration period:
# 0, 1, …, 6, and 7 or more, as in the published charts.
TOP_BUCKET = 7


def holdout_buckets(params, frequency, recency, age, actual, holdout_days):
    """Per calibration frequency bucket (0 … TOP_BUCKET, the last one "or
    more"): customers, actual and expected purchase days in the holdout.

    The expected ones are BG/NBD's conditional expectation (FHL 2005, eq. 10)
    over ``holdout_days`` of each customer's calibration (frequency, recency,
    age in days), computed once per distinct row. Returns three arrays.
    """
    rows, _counts, inverse = lifetime_math.distinct_rows(frequency, recency, age)
    expected = lifetime_math.expected_orders(
        params,
        rows[:, 0],
        rows[:, 1] / DAYS_PER_UNIT,
        rows[:, 2] / DAYS_PER_UNIT,
        holdout_days / DAYS_PER_UNIT,
    )[inverse]
    bucket = np.minimum(frequency, TOP_BUCKET).astype(np.int64)
    size = TOP_BUCKET + 1
    return (
        np.bincount(bucket, minlength=size),
        np.bincount(bucket, weights=actual, minlength=size),
        np.bincount(bucket, weights=expected, minlength=size),
    )


class RepeatSalesValueCheck(models.TransientModel):
    """The value model checked against what happened: fitted on the orders
    before a cut-off date (calibration), its expected purchase days in the
    weeks after (holdout) compared with the actual ones, per number of repeat
    purchases in the calibration period (Fader, Hardie & Lee 2005, fig. 4)."""

    _name = "repeat.sales.value.check"
    _description = "Customer Value Model Check"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    cutoff_date = fields.Date(
        string="Holdout From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - timedelta(weeks=39),
        help="The model is fitted on the orders before this day and checked "
        "on the orders from this day on.",
    )
    holdout_weeks = fields.Integer(
        string="Holdout (Weeks)",
        required=True,
        default=39,
        help="Weeks of orders the model's expectations are compared with.",
    )
    holdout_end = fields.Date(
        string="Holdout Up To",
        compute="_compute_holdout_end",
        help="Last day of the holdout period.",
    )
    state = fields.Selection(FIT_STATES, default="draft", readonly=True)
    message = fields.Text(readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    repeat_customer_count = fields.Integer(string="Repeat Customers", readonly=True)
    r = fields.Float(string="r", readonly=True)
    alpha = fields.Float(string="α", readonly=True)
    a = fields.Float(string="a", readonly=True)
    b = fields.Float(string="b", readonly=True)
    log_likelihood = fields.Float(readonly=True)
    actual_orders = fields.Integer(string="Actual Purchase Days", readonly=True)
    expected_orders = fields.Float(string="Expected Purchase Days", readonly=True)
    line_ids = fields.One2many(
        "repeat.sales.value.check.line", "check_id", string="By Calibration Purchases"
    )

    @api.depends("cutoff_date", "holdout_weeks")
    def _compute_holdout_end(self):
        for check in self:
            check.holdout_end = check.cutoff_date and (
                check.cutoff_date + timedelta(weeks=check.holdout_weeks, days=-1)
            )

    def action_check(self):
        self.ensure_one()
        self._check()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Check of the Customer Value Model"),
        }

    def action_view_chart(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repeat_sales.repeat_sales_value_check_line_action"
        )
        action["domain"] = [("check_id", "=", self.id)]
        return action

    def _check(self):
        """Fit on the calibration period, compare with the holdout; the
        results replace the check's lines."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if not 1 <= self.holdout_weeks <= 520:
            raise UserError(_("The holdout period is from 1 to 520 weeks."))
        holdout_end = self.cutoff_date + timedelta(weeks=self.holdout_weeks)
        if holdout_end > today:
            raise UserError(
                _(
                    "The holdout period must be over: with %(weeks)s weeks, it "
                    "starts on %(latest)s at the latest.",
                    weeks=self.holdout_weeks,
                    latest=format_date(
                        self.env, today - timedelta(weeks=self.holdout_weeks)
                    ),
                )
            )
        Fit = self.env["repeat.sales.value.fit"]
        partner_ids, frequency, recency, age, _mean = Fit._customer_histories(
            self.company_id, self.cutoff_date
        )
        values = {
            "customer_count": len(partner_ids),
            "repeat_customer_count": int((frequency > 0).sum()),
        }
        params = Fit._fit_purchases(frequency, recency, age, values)
        self.line_ids.unlink()
        result = {
            name: values[name]
            for name in (
                "state",
                "customer_count",
                "repeat_customer_count",
                "r",
                "alpha",
                "a",
                "b",
                "log_likelihood",
            )
        }
        result.update(actual_orders=0, expected_orders=0.0)
        result["message"] = self._state_message(values)
        if params is not None:
            actual = self._holdout_purchase_days(partner_ids, holdout_end)
            customers, actual_days, expected_days = holdout_buckets(
                params, frequency, recency, age, actual, 7 * self.holdout_weeks
            )
            result["line_ids"] = [
                fields.Command.create(
                    {
                        "bucket": bucket,
                        "customer_count": int(customers[bucket]),
                        "actual_orders": int(round(actual_days[bucket])),
                        "expected_orders": float(expected_days[bucket]),
                    }
                )
                for bucket in range(TOP_BUCKET + 1)
            ]
            result.update(
                actual_orders=int(actual.sum()),
                expected_orders=float(expected_days.sum()),
            )
        self.write(result)

    def _holdout_purchase_days(self, partner_ids, holdout_end):
        """Purchase days of each customer (aligned with ``partner_ids``) from
        the cut-off date to the end of the holdout, the orders counted as the
        model counts them (one purchase per day)."""
        orders = self.env["repeat.sales.order.facts"]._orders_sql(
            company_ids=[self.company_id.id],
            date_from=self.cutoff_date,
            date_before=holdout_end,
        )
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, COUNT(DISTINCT order_date)
                     FROM (%s) facts
                 GROUP BY partner_id""",
                orders,
            )
        )
        days = dict(self.env.cr.fetchall())
        return np.array(
            [days.get(int(partner_id), 0) for partner_id in partner_ids], dtype=float
        )

    def _state_message(self, values):
        state = values["state"]
        if state == "few_customers":
            return _(
                "%(count)s customers ordered before the holdout: the model needs "
                "more to be fitted.",
                count=values["customer_count"],
            )
        if state == "no_repeat":
            return _(
                "%(count)s customers ordered again on a later day before the "
                "holdout: the model needs more to be fitted.",
                count=values["repeat_customer_count"],
            )
        if state == "not_converged":
            return _(
                "The model did not converge on the orders before the holdout: "
                "there is nothing to compare."
            )
        return False
