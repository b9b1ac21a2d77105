# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict

import mpmath

from odoo.tests import tagged

from .value_common import CDNOW_END, ValueCommon, cdnow_purchases

# Fader, Hardie & Lee (2005) and Fader & Hardie, "The Gamma-Gamma Model of
# Monetary Value" (2013): the CDNOW sample, weeks, purchases to 1997-09-30.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}


def summary():
    """The published summary of each customer, recomputed here from the
    purchases: {customer: (x, t_x, T in weeks, mean repeat value)}. A repeat
    purchase is a later day with a purchase; one day's purchases are one."""
    figures = {}
    for customer, purchases in cdnow_purchases().items():
        days = defaultdict(float)
        for day, value in purchases:
            days[day] += value
        ordered = sorted(days)
        x = len(ordered) - 1
        mean = sum(days[day] for day in ordered[1:]) / x if x else 0.0
        figures[customer] = (
            x,
            (ordered[-1] - ordered[0]).days / 7,
            (CDNOW_END - ordered[0]).days / 7,
            mean,
        )
    return figures


def bgnbd_ll(r, alpha, a, b, x, t_x, big_t):
    """One customer's log-likelihood, FHL (2005) eq. 6, term by term."""
    lg = math.lgamma
    a1 = lg(r + x) - lg(r) + r * math.log(alpha)
    a2 = lg(a + b) + lg(b + x) - lg(b) - lg(a + b + x)
    a3 = -(r + x) * math.log(alpha + big_t)
    total = math.exp(a3)
    if x > 0:
        a4 = math.log(a) - math.log(b + x - 1) - (r + x) * math.log(alpha + t_x)
        total += math.exp(a4)
    return a1 + a2 + math.log(total)


def gamma_gamma_ll(p, q, v, x, m):
    """Fader & Hardie (2013), the density of the mean of x values."""
    lg = math.lgamma
    return (
        lg(p * x + q)
        - lg(p * x)
        - lg(q)
        + q * math.log(v)
        + (p * x - 1) * math.log(m)
        + p * x * math.log(x)
        - (p * x + q) * math.log(v + x * m)
    )


def p_alive(r, alpha, a, b, x, t_x, big_t):
    """FHL (2005) eq. 11."""
    if x == 0:
        return 1.0
    return 1 / (1 + a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x))


def expected_orders(r, alpha, a, b, x, t_x, big_t, t):
    """FHL (2005) eq. 10, with mpmath's 2F1 at 30 digits."""
    with mpmath.workdps(30):
        r, alpha, a, b, t_x, big_t, t = map(mpmath.mpf, (r, alpha, a, b, t_x, big_t, t))
        hyp = mpmath.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp
        tail = 1
        if x > 0:
            tail += a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x)
        return float(head * body / tail)


@tagged("post_install", "-at_install")
class TestValueCdnow(ValueCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls._load_cdnow()
        cls.fit = cls.env["repeat.sales.value.fit"]._fit_companies(cls.company)
        cls.summary = summary()

    def test_published_parameters_from_a_converged_fit(self):
        fit = self.fit
        self.assertEqual((fit.state, fit.value_state), ("fitted", "fitted"))
        self.assertEqual(fit.time_unit, "week")
        self.assertEqual(fit.customer_count, 2357)
        self.assertEqual(fit.value_customer_count, 946)
        for name, published in PUBLISHED_BGNBD.items():
            self.assertEqual(round(fit[name], 3), published, name)
        self.assertEqual(round(fit.log_likelihood, 1), -9582.4)
        for name, published in PUBLISHED_GAMMA_GAMMA.items():
            self.assertEqual(round(fit[name], 2), published, name)
        self.assertEqual(round(fit.value_log_likelihood, 2), -4055.92)
        self.assertFalse(fit.message)

    def test_fit_is_the_maximum_of_the_published_likelihoods(self):
        """The stored log-likelihoods are those of the published formulas at
        the stored parameters, and moving any parameter by 0.1% lowers them."""
        fit = self.fit
        rows = list(self.summary.values())

        def bgnbd(params):
            return sum(bgnbd_ll(*params, x, t_x, big_t) for x, t_x, big_t, _m in rows)

        def gamma_gamma(params):
            return sum(gamma_gamma_ll(*params, x, m) for x, _t, _T, m in rows if m > 0)

        for function, params, stored in (
            (bgnbd, [fit.r, fit.alpha, fit.a, fit.b], fit.log_likelihood),
            (gamma_gamma, [fit.p, fit.q, fit.v], fit.value_log_likelihood),
        ):
            best = function(params)
            self.assertAlmostEqual(best, stored, delta=1e-6)
            for index in range(len(params)):
                for factor in (0.999, 1.001):
                    moved = list(params)
                    moved[index] *= factor
                    self.assertLess(function(moved), best)

    def test_customer_figures_equal_the_published_formulas(self):
        fit = self.fit
        params = (fit.r, fit.alpha, fit.a, fit.b)
        stats = self.Stat.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(stats), 2357)
        by_partner = {stat.partner_id: stat for stat in stats}
        cache = {}
        for customer, (x, t_x, big_t, mean) in self.summary.items():
            stat = by_partner[self.partners[customer]]
            key = (x, t_x, big_t)
            if key not in cache:
                cache[key] = (
                    p_alive(*params, x, t_x, big_t),
                    *(
                        expected_orders(*params, x, t_x, big_t, days / 7)
                        for days in (30, 90, 365)
                    ),
                )
            expected = cache[key]
            stored = (
                stat.p_alive,
                stat.expected_orders_30d,
                stat.expected_orders_90d,
                stat.expected_orders_365d,
            )
            for name, mine, theirs in zip(
                ("p_alive", "30d", "90d", "365d"), stored, expected, strict=True
            ):
                self.assertAlmostEqual(mine, theirs, delta=1e-6, msg=(customer, name))
            # Gamma-Gamma's conditional mean (Fader & Hardie 2013, eq. 5).
            value = fit.p * (fit.v + x * mean) / (fit.p * x + fit.q - 1)
            self.assertAlmostEqual(stat.expected_order_value, value, delta=0.01)

    def test_value_of_next_12_months_discounted_month_by_month(self):
        fit = self.fit
        params = (fit.r, fit.alpha, fit.a, fit.b)
        monthly = 1.1 ** (1 / 12) - 1  # the default 10% a year
        partner = self.partners[4]  # 2 repeat days, the last on 1997-08-02
        x, t_x, big_t, _mean = self.summary[4]
        stat = self._stat(partner)
        before = discounted = 0.0
        for month in range(1, 13):
            expected = expected_orders(*params, x, t_x, big_t, month * 365 / 12 / 7)
            discounted += (expected - before) / (1 + monthly) ** month
            before = expected
        self.assertAlmostEqual(before, stat.expected_orders_365d, delta=1e-6)
        self.assertAlmostEqual(
            stat.clv_12m, discounted * stat.expected_order_value, delta=0.01
        )
        # no discount: the value is the expected orders times the order value
        self.company.repeat_value_discount_rate = 0
        self.fit.action_fit_now()
        self.assertAlmostEqual(
            stat.clv_12m, before * stat.expected_order_value, delta=0.01
        )

    def test_valuable_but_probably_leaving(self):
        stats = self.Stat.search([("company_id", "=", self.company.id)])
        values = sorted(stats.mapped("expected_order_value"))
        quarter = values[int(0.75 * (len(values) - 1))]
        expected = stats.filtered(
            lambda s: s.p_alive < 0.5 and s.expected_order_value >= quarter
        )
        self.assertTrue(expected)
        found = self.Stat.search([("valuable_leaving", "=", True)])
        self.assertEqual(found, expected)
        # sorted by value at stake, as the list does
        ranked = self.Stat.search(
            [("company_id", "=", self.company.id)], order="clv_12m desc", limit=3
        )
        self.assertEqual(len(ranked), 3)
        self.assertGreaterEqual(ranked[0].clv_12m, ranked[2].clv_12m)
