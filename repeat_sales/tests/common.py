# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase
from odoo.tools import float_round

from odoo.addons.sale.tests.common import SaleCommon

from .. import compat


class TourCase(HttpCase):
    """A browser tour of the addon, patient with a loaded machine.

    19.0's test server fails a request that waits more than
    ``test_cursor_lock_timeout`` seconds (20) for the test cursor, and the
    browser then reads the error page where it expects JSON ("Unexpected token
    '<'") or never gets the tour's bundle: on a busy machine, a request that
    builds an asset bundle holds the cursor longer than that. 18.0 waits as long
    as it takes (it ignores the attribute).
    """

    test_cursor_lock_timeout = 120


class RepeatSalesCommon(SaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stat = cls.env["repeat.sales.partner.stat"]
        cls.today = fields.Date.context_today(cls.env.user)
        cls.company = cls.env.company
        cls.company.write({"repeat_hot_days": 30, "repeat_warm_days": 120})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tile House", "is_company": True}
        )

    @classmethod
    def _user(cls, login, *group_xmlids):
        """An internal user with these groups and an e-mail address."""
        groups = cls.env["res.groups"].concat(*(cls.env.ref(x) for x in group_xmlids))
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                compat.USER_GROUPS: [(6, 0, groups.ids)],
            }
        )

    @classmethod
    def _outsider(cls, login, company_name):
        """A sales manager of a new company, and of that company only."""
        company = cls.env["res.company"].create({"name": company_name})
        user = cls._user(login, "sales_team.group_sale_manager")
        user.write({"company_ids": [(6, 0, company.ids)], "company_id": company.id})
        return user, company

    @classmethod
    def _order(cls, partner, days_ago, amount, company=None, pricelist=None):
        """A confirmed order of ``partner`` placed ``days_ago`` days before today."""
        company = company or cls.env.company
        values = {
            "partner_id": partner.id,
            "company_id": company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                    }
                )
            ],
        }
        if pricelist:
            values["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].with_company(company).create(values)
        order.action_confirm()
        order.date_order = cls._days_ago(days_ago)
        return order

    @classmethod
    def _due_followup(cls, partner, step_xmlid):
        """A pending follow-up of ``partner`` at this step, due today."""
        step = cls.env.ref(step_xmlid)
        return cls.env["repeat.sales.followup"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.env.company.id,
                "step_id": step.id,
                "order_date": cls.today - timedelta(days=step.days),
                "due_date": cls.today,
            }
        )

    @classmethod
    def _days_ago(cls, days):
        return datetime.combine(cls.today - timedelta(days=days), time(10, 0))

    def _commit_hooks(self):
        """Run what a commit runs: the ORM flush, then the precommit hooks."""
        self.env.cr.flush()

    def _stat(self, partner, company=None):
        company = company or self.env.company
        return self.Stat.search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )

    def _stored_figures(self):
        """Every stored row, as comparable tuples."""
        self.env.invalidate_all()
        return {
            (stat.partner_id.id, stat.company_id.id): (
                stat.first_order_date,
                stat.last_order_date,
                stat.order_count,
                stat.revenue,
                stat.average_order_value,
                stat.average_gap_days or False,
                stat.expected_order_date or False,
                stat.segment,
            )
            for stat in self.Stat.search([])
        }

    def _recomputed_figures(self):
        """The same figures recomputed in plain Python from the orders."""
        self.env.invalidate_all()
        orders_by_customer = defaultdict(list)
        for order in self.env["sale.order"].search([("state", "=", "sale")]):
            currency = order.company_id.currency_id
            amount = currency.round(order.amount_untaxed / (order.currency_rate or 1.0))
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            orders_by_customer[key].append((order.date_order.date(), amount))
        figures = {}
        for key, orders in orders_by_customer.items():
            company = self.env["res.company"].browse(key[1])
            dates = sorted(date for date, _amount in orders)
            count = len(orders)
            revenue = sum(amount for _date, amount in orders)
            gap = (dates[-1] - dates[0]).days / (count - 1) if count > 1 else False
            expected = False
            if count > 1:
                expected = dates[-1] + timedelta(days=int(float_round(gap, 0)))
            age = (self.today - dates[-1]).days
            if age <= company.repeat_hot_days:
                segment = "hot"
            elif age <= company.repeat_warm_days:
                segment = "warm"
            else:
                segment = "sleeping"
            figures[key] = (
                dates[0],
                dates[-1],
                count,
                revenue,
                company.currency_id.round(revenue / count),
                float_round(gap, 1) if gap is not False else False,
                expected,
                segment,
            )
        return figures

    def assertFiguresExact(self):
        self.assertEqual(self._stored_figures(), self._recomputed_figures())
