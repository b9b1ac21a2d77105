# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013)
in numpy: likelihoods with their gradients, the maximum-likelihood fits and
the per-customer figures. No Odoo here: the models call these functions with
arrays, and the benchmark calls them directly.

Every fit runs on distinct rows with their counts (``weights``): customers
with the same (frequency, recency, age) give the same likelihood term.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, gammaln, hyp2f1

# The optimizer works on log-parameters within these bounds (about 3e-7 to
# 3e6). A fit with a parameter beyond 1e-4 or 1e4 has run off along a ridge
# where the data do not hold it (a and b of BG/NBD both towards 0 on a few
# dozen customers, say): it is not taken, even when the gradient there is flat.
LOG_BOUND = 15.0
LOG_EDGE = np.log(1e4)
# The fit has converged when every component of the gradient of the mean
# log-likelihood per customer (with respect to the log-parameters) is below
# this: far below what moves a published digit.
GRADIENT_TOLERANCE = 1e-7
# Parameters are in weeks, as published; days per time unit.
DAYS_PER_UNIT = 7.0
HORIZON_DAYS = (30, 90, 365)
MONTH_DAYS = 365.0 / 12
# "Valuable but probably leaving": P(alive) below this, and an expected order
# value at or above this quantile of the company's customers.
LEAVING_P_ALIVE = 0.5
VALUABLE_QUANTILE = 0.75


class FitResult:
    """What a fit gives: parameters, log-likelihood, convergence."""

    def __init__(self, params, log_likelihood, converged, reason, iterations):
        self.params = params
        self.log_likelihood = log_likelihood
        self.converged = converged
        self.reason = reason
        self.iterations = iterations


class _Rows:
    """Fixed inputs of a likelihood: the rows, and the distinct frequencies
    (few) through which the special functions of ``r + x``, ``b + x``,
    ``p x`` … are computed once per frequency instead of once per row."""

    def __init__(self, x, weights):
        self.x = x
        self.weights = weights
        self.distinct, self.index = np.unique(x, return_inverse=True)
        self.index = self.index.ravel()
        self.has_repeat = x > 0


def distinct_rows(frequency, recency, age):
    """The distinct (frequency, recency, age) rows of whole numbers, how many
    customers have each, and each customer's row. One integer key per row:
    a sort of one column, not of three."""
    columns = [
        np.asarray(column, dtype=np.int64) for column in (frequency, recency, age)
    ]
    size = max(int(column.max(initial=0)) for column in columns) + 1
    keys = (columns[0] * size + columns[1]) * size + columns[2]
    distinct, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    rows = np.stack(
        [distinct // (size * size), distinct // size % size, distinct % size], axis=1
    ).astype(float)
    return rows, counts.astype(float), inverse.ravel()


def _bgnbd_terms(params, x, t_x, big_t):
    r, alpha, a, b = params
    has_repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + big_t)
    # ln(a / (b + x - 1)) - (r + x) ln(alpha + t_x), for repeat customers only
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            has_repeat,
            np.log(a)
            - np.log(np.where(has_repeat, b + x - 1, 1.0))
            - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    top = np.logaddexp(a3, a4)
    # share of the "dropped out after the last purchase" term
    share = np.exp(a4 - top)
    return a1 + a2 + top, share


def bgnbd_log_likelihood(params, x, t_x, big_t, weights):
    """Total BG/NBD log-likelihood and its gradient in (r, alpha, a, b)."""
    return _bgnbd_log_likelihood(params, _Rows(x, weights), t_x, big_t)


def _bgnbd_log_likelihood(params, rows, t_x, big_t):
    r, alpha, a, b = params
    u = rows.distinct
    x = rows.x
    has_repeat = rows.has_repeat
    ln_t = np.log(alpha + big_t)
    ln_tx = np.log(alpha + t_x)
    # ln(a / (b + x - 1)) for repeat customers
    with np.errstate(divide="ignore", invalid="ignore"):
        ln_drop = np.where(u > 0, np.log(a) - np.log(np.where(u > 0, b + u - 1, 1)), 0)
    a12 = (
        gammaln(r + u)
        - gammaln(r)
        + r * np.log(alpha)
        + gammaln(a + b)
        + gammaln(b + u)
        - gammaln(b)
        - gammaln(a + b + u)
    )[rows.index]
    a3 = -(r + x) * ln_t
    a4 = np.where(has_repeat, ln_drop[rows.index] - (r + x) * ln_tx, -np.inf)
    top = np.logaddexp(a3, a4)
    share = np.exp(a4 - top)
    keep = 1.0 - share
    w = rows.weights
    ws = w * share
    wk = w * keep
    # the parts that depend on x only, summed per distinct x first
    per_x = np.bincount(rows.index, weights=w, minlength=len(u))
    share_x = np.bincount(rows.index, weights=ws, minlength=len(u))
    with np.errstate(divide="ignore", invalid="ignore"):
        last = np.where(u > 0, 1 / np.where(u > 0, b + u - 1, 1), 0)
    d_r = per_x @ (digamma(r + u) - digamma(r) + np.log(alpha)) - wk @ ln_t - ws @ ln_tx
    d_alpha = w.sum() * r / alpha - (r + x) @ (
        wk / (alpha + big_t) + ws / (alpha + t_x)
    )
    d_a = per_x @ (digamma(a + b) - digamma(a + b + u)) + share_x.sum() / a
    d_b = (
        per_x @ (digamma(a + b) + digamma(b + u) - digamma(b) - digamma(a + b + u))
        - share_x @ last
    )
    return w @ (a12 + top), np.array([d_r, d_alpha, d_a, d_b])


def gamma_gamma_log_likelihood(params, x, m, weights):
    """Total Gamma-Gamma log-likelihood of the mean repeat values ``m`` of
    customers with ``x`` repeat purchases, and its gradient in (p, q, v)."""
    return _gamma_gamma_log_likelihood(params, _Rows(x, weights), np.log(m), m)


def _gamma_gamma_log_likelihood(params, rows, ln_m, m):
    p, q, v = params
    u = rows.distinct
    x = rows.x
    w = rows.weights
    pu = p * u
    total = x * m + v
    ln_total = np.log(total)
    per_x = np.bincount(rows.index, weights=w, minlength=len(u))
    # sums of weight x ln m, weight x ln x: the terms that do not move
    px = p * x
    value = per_x @ (gammaln(pu + q) - gammaln(pu) - gammaln(q) + q * np.log(v)) + w @ (
        (px - 1) * ln_m + px * np.log(x) - (px + q) * ln_total
    )
    wx = w * x
    d_p = per_x @ (u * (digamma(pu + q) - digamma(pu))) + wx @ (
        ln_m + np.log(x) - ln_total
    )
    d_q = per_x @ (digamma(pu + q) - digamma(q) + np.log(v)) - w @ ln_total
    d_v = w.sum() * q / v - w @ ((px + q) / total)
    return value, np.array([d_p, d_q, d_v])


def _maximize(log_likelihood, size, total):
    """Maximize ``log_likelihood(params) -> (value, gradient)`` over positive
    parameters, from all ones, on log-parameters."""

    def objective(log_params):
        params = np.exp(log_params)
        with np.errstate(all="ignore"):
            value, gradient = log_likelihood(params)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros(size)
        # per customer, so that the tolerances do not depend on the size
        return -value / total, -gradient * params / total

    result = minimize(
        objective,
        np.zeros(size),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-LOG_BOUND, LOG_BOUND)] * size,
        # the gradient decides: no stop on a small change of the value
        options={"maxiter": 2000, "ftol": 0.0, "gtol": GRADIENT_TOLERANCE / 10},
    )
    params = np.exp(result.x)
    value, gradient = objective(result.x)
    if not np.isfinite(value):
        return FitResult(params, None, False, "not_finite", result.nit)
    if np.any(np.abs(result.x) > LOG_EDGE):
        return FitResult(params, -value * total, False, "boundary", result.nit)
    if np.max(np.abs(gradient)) > GRADIENT_TOLERANCE:
        return FitResult(params, -value * total, False, "gradient", result.nit)
    return FitResult(params, -value * total, True, "", result.nit)


def fit_bgnbd(x, t_x, big_t, weights):
    """Maximum-likelihood BG/NBD parameters (r, alpha, a, b) of the rows
    (frequency, recency, age) counted ``weights`` times."""
    rows = _Rows(x, weights)
    return _maximize(
        lambda params: _bgnbd_log_likelihood(params, rows, t_x, big_t),
        4,
        weights.sum(),
    )


def fit_gamma_gamma(x, m, weights):
    """Maximum-likelihood Gamma-Gamma parameters (p, q, v) of the rows
    (repeat purchases, mean repeat value > 0) counted ``weights`` times."""
    rows = _Rows(x, weights)
    ln_m = np.log(m)
    return _maximize(
        lambda params: _gamma_gamma_log_likelihood(params, rows, ln_m, m),
        3,
        weights.sum(),
    )


def p_alive(params, x, t_x, big_t):
    """Probability that a customer is still alive (FHL 2005, eq. 11)."""
    r, alpha, a, b = params
    _terms, share = _bgnbd_terms(params, x, t_x, big_t)
    return 1.0 - share


def expected_orders_if_alive(params, x, big_t, horizon):
    """FHL (2005) eq. 10 without its last factor, P(alive): the purchases
    expected in the next ``horizon`` time units from a customer still alive.
    It depends on frequency and age only, not on recency."""
    r, alpha, a, b = params
    z = horizon / (alpha + big_t + horizon)
    tail = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon)))
    return (
        (a + b + x - 1)
        / (a - 1)
        * (1.0 - tail * hyp2f1(r + x, b + x, a + b + x - 1, z))
    )


def expected_orders(params, x, t_x, big_t, horizon):
    """Expected purchases in the next ``horizon`` time units (FHL 2005, eq. 10)."""
    return expected_orders_if_alive(params, x, big_t, horizon) * p_alive(
        params, x, t_x, big_t
    )


def expected_order_value(params, x, m):
    """Expected value of a customer's next purchase (Gamma-Gamma), from the
    mean value ``m`` of its ``x`` repeat purchases; the population mean for
    customers without one."""
    p, q, v = params
    return p * (v + x * m) / (p * x + q - 1)


def valuable_threshold(order_value):
    """The expected order value from which a customer is in the top quarter."""
    return float(np.quantile(order_value, VALUABLE_QUANTILE, method="lower"))


def score(
    purchases,
    order_values,
    frequency,
    recency,
    age,
    mean_value,
    yearly_rate,
    threshold=None,
):
    """Per customer (recency and age in days): P(alive), expected orders in
    30, 90 and 365 days, expected order value, value over the next 12 months
    and "valuable but probably leaving" (None for the last three without
    ``order_values``). ``threshold``: the top quarter's expected order value
    (of the customers scored when not given).

    P(alive) is computed once per distinct (frequency, recency, age); the
    hypergeometric part of the expected orders once per distinct (frequency,
    age), far fewer; then both are spread to the customers.
    """
    rows, _counts, inverse = distinct_rows(frequency, recency, age)
    pairs, _pair_counts, pair_of_row = distinct_rows(
        rows[:, 0], np.zeros(len(rows)), rows[:, 2]
    )
    x = pairs[:, 0]
    big_t = pairs[:, 2] / DAYS_PER_UNIT
    alive = p_alive(
        purchases, rows[:, 0], rows[:, 1] / DAYS_PER_UNIT, rows[:, 2] / DAYS_PER_UNIT
    )
    alive_customers = alive[inverse]
    pair_of_customer = pair_of_row[inverse]

    def per_customer(if_alive):
        return if_alive[pair_of_customer] * alive_customers

    horizons = [
        per_customer(
            expected_orders_if_alive(purchases, x, big_t, days / DAYS_PER_UNIT)
        )
        for days in HORIZON_DAYS
    ]
    figures = [alive_customers, *horizons, None, None, None]
    if order_values is None:
        return figures
    # Orders expected month by month, each month discounted at the monthly
    # rate of the yearly one; the 12th month ends on day 365.
    monthly_rate = (1 + yearly_rate) ** (1 / 12) - 1
    discounted = np.zeros(len(pairs))
    before = np.zeros(len(pairs))
    for month in range(1, 13):
        expected = expected_orders_if_alive(
            purchases, x, big_t, month * MONTH_DAYS / DAYS_PER_UNIT
        )
        discounted += (expected - before) / (1 + monthly_rate) ** month
        before = expected
    order_value = expected_order_value(
        order_values, frequency, np.maximum(mean_value, 0)
    )
    if threshold is None:
        threshold = valuable_threshold(order_value)
    figures[4] = order_value
    figures[5] = per_customer(discounted) * order_value
    figures[6] = (alive_customers < LEAVING_P_ALIVE) & (order_value >= threshold)
    return figures
