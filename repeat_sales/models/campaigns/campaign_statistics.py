# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Treated against control: each group's ordering rate and revenue per
customer, their difference and its 95% interval (normal approximation)."""

import math

# Two-sided 95% confidence (normal approximation).
Z_95 = 1.959964


def _mean_and_variance(count, total, total_squares):
    """Mean and sample variance of ``count`` values from their sums."""
    if not count:
        return 0.0, 0.0
    mean = total / count
    if count < 2:
        return mean, 0.0
    return mean, max(total_squares - count * mean * mean, 0.0) / (count - 1)


def _difference(treated, control, treated_var, control_var, n_treated, n_control):
    """Difference treated - control with its 95% confidence interval."""
    difference = treated - control
    if not n_treated or not n_control:
        return difference, 0.0, 0.0
    margin = Z_95 * math.sqrt(treated_var / n_treated + control_var / n_control)
    return difference, difference - margin, difference + margin


def treated_against_control(treated, control):
    """The campaign's result fields from each group's (customers, ordered,
    revenue, revenue²)."""
    n_t, ordered_t, revenue_t, squares_t = treated
    n_c, ordered_c, revenue_c, squares_c = control
    rate_t = ordered_t / n_t if n_t else 0.0
    rate_c = ordered_c / n_c if n_c else 0.0
    rate_diff, rate_low, rate_high = _difference(
        rate_t, rate_c, rate_t * (1 - rate_t), rate_c * (1 - rate_c), n_t, n_c
    )
    mean_t, var_t = _mean_and_variance(n_t, revenue_t, squares_t)
    mean_c, var_c = _mean_and_variance(n_c, revenue_c, squares_c)
    revenue_diff, revenue_low, revenue_high = _difference(
        mean_t, mean_c, var_t, var_c, n_t, n_c
    )
    return {
        "treated_count": n_t,
        "control_count": n_c,
        "treated_ordered": ordered_t,
        "control_ordered": ordered_c,
        "treated_rate": 100 * rate_t,
        "control_rate": 100 * rate_c,
        "rate_difference": 100 * rate_diff,
        "rate_low": 100 * rate_low,
        "rate_high": 100 * rate_high,
        "rate_significant": rate_low > 0 or rate_high < 0,
        "treated_revenue": mean_t,
        "control_revenue": mean_c,
        "revenue_difference": revenue_diff,
        "revenue_low": revenue_low,
        "revenue_high": revenue_high,
        "revenue_significant": revenue_low > 0 or revenue_high < 0,
    }
