# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ...models.value import lifetime_math
from .value_common import ValueCommon


@tagged("post_install", "-at_install")
class TestValueNightly(ValueCommon):
    """The nights between two fits score the changed customers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Fit = cls.env["repeat.sales.value.fit"]
        cls.partners = cls._load_cdnow(customers=150)
        cls.Fit._cron_fit_all()
        cls.fit = cls.Fit.search([("company_id", "=", cls.company.id)])

    def _night_passes(self):
        """The orders so far were written before the last run."""
        self.env.cr.execute(
            SQL("UPDATE sale_order SET write_date = write_date - interval '1 day'")
        )

    def test_changed_customer_scored_without_refit_then_refit_after_a_week(self):
        fit = self.fit
        self.assertEqual((fit.state, fit.value_state), ("fitted", "fitted"))
        self.assertEqual(fit.data_until, self.today - timedelta(days=1))
        params = (fit.r, fit.alpha, fit.a, fit.b)
        changed, steady = list(self.partners.values())[:2]
        stat_changed, stat_steady = self._stat(changed), self._stat(steady)
        before_changed, before_steady = stat_changed.p_alive, stat_steady.p_alive
        self._night_passes()
        self._load_orders([(changed, self.today, 25.0)])
        tomorrow = self.today + timedelta(days=1)
        with freeze_time(tomorrow):
            self.Fit._cron_fit_all()
        self.env.invalidate_all()
        # Not refitted: same fit, same day of orders; one customer scored.
        self.assertEqual(fit.data_until, self.today - timedelta(days=1))
        self.assertEqual((fit.r, fit.alpha, fit.a, fit.b), params)
        self.assertEqual(fit.scored_until, self.today)
        self.assertEqual(fit.scored_count, 1)
        self.assertEqual(stat_steady.p_alive, before_steady)
        self.assertNotEqual(stat_changed.p_alive, before_changed)
        # The customer's P(alive) from its purchase days up to today.
        days = sorted({order.date_order.date() for order in self._orders_of(changed)})
        expected = lifetime_math.p_alive(
            params,
            len(days) - 1,
            (days[-1] - days[0]).days / lifetime_math.DAYS_PER_UNIT,
            (self.today - days[0]).days / lifetime_math.DAYS_PER_UNIT,
        )
        self.assertAlmostEqual(stat_changed.p_alive, float(expected), places=9)

        # A week after the fit: refitted on the orders up to that day.
        self._night_passes()
        week_later = self.today + timedelta(days=8)
        with freeze_time(week_later):
            self.Fit._cron_fit_all()
        self.env.invalidate_all()
        self.assertEqual(fit.data_until, week_later - timedelta(days=1))
        self.assertNotEqual((fit.r, fit.alpha, fit.a, fit.b), params)
        self.assertEqual(fit.scored_count, len(self.partners))
        self.assertNotEqual(stat_steady.p_alive, before_steady)

    def test_changed_discount_rate_refits(self):
        self.company.repeat_value_discount_rate = 20.0
        self.assertTrue(self.fit._refit_due(self.today))

    def test_a_company_may_refit_every_night(self):
        tomorrow = self.today + timedelta(days=1)
        self.assertFalse(self.fit._refit_due(tomorrow))
        self.company.repeat_value_refit_days = 1
        self.assertTrue(self.fit._refit_due(tomorrow))
        with self.assertRaises(ValidationError):
            self.company.repeat_value_refit_days = 0

    def _orders_of(self, partner):
        return self.env["sale.order"].search(
            [("partner_id", "=", partner.id), ("state", "=", "sale")]
        )
