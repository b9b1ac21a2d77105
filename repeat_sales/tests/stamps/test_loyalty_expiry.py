# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from ..loyalty_common import RepeatSalesLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyExpiry(RepeatSalesLoyaltyCommon):
    def test_expiry_first_in_first_out_and_idempotent(self):
        old = self._order(self.customer, 0, 800.0)
        self.Line.search([("order_id", "=", old.id)]).date = self.today - relativedelta(
            months=13
        )
        self._order(self.customer, 0, 500.0)
        self.assertEqual(self._balance(), 13)
        # Three of the eight old stamps went into a redemption: five expire.
        self._give_stamps(-3)
        expired = self.Line._expire_stamps(self.today)
        self.assertEqual(expired.mapped("stamps"), [-5])
        self.assertEqual(expired.kind, "expire")
        self.assertEqual(self._balance(), 5)
        self.assertFalse(self.Line._expire_stamps(self.today))
        self.Line._cron_daily()
        self.assertEqual(self._balance(), 5)
        # A year later the recent stamps go too, once.
        later = self.today + relativedelta(months=13)
        self.assertEqual(self.Line._expire_stamps(later).mapped("stamps"), [-5])
        self.assertFalse(self.Line._expire_stamps(later))
        self.assertEqual(self._balance(), 0)

    def test_no_expiry_when_lifetime_is_zero(self):
        self.program.repeat_expiry_months = 0
        self._give_stamps(4)
        self.assertFalse(self.Line._expire_stamps(self.today + relativedelta(years=5)))


@tagged("post_install", "-at_install")
class TestLoyaltyReports(RepeatSalesLoyaltyCommon):
    def test_stamps_per_month_and_customers_per_tier(self):
        other = self.env["res.partner"].create({"name": "Other"})
        self._order(self.customer, 0, 1500.0)
        self._order(other, 0, 200.0)
        self._give_stamps(-10)
        self.env.flush_all()
        month = self.today.replace(day=1)
        rows = self.env["repeat.sales.stamp.report"]._read_group(
            [], ["date:month"], ["issued:sum", "redeemed:sum", "expired:sum"]
        )
        self.assertEqual(rows, [(month, 7, 0, 0)])
        tiers = self.env["repeat.sales.tier.report"]._read_group(
            [], ["tier_id"], ["__count", "spend:sum"]
        )
        self.assertEqual(
            sorted(tiers, key=lambda row: row[0].min_spend),
            [(self.tier1, 1, 200.0), (self.tier2, 1, 1500.0)],
        )
