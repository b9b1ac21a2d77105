# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import float_round


class RepeatSalesDemo(models.AbstractModel):
    """The bonus part of the demo: last month's plans with the article's terms,
    and a competition on repeat orders."""

    _inherit = "repeat.sales.demo"

    @api.model
    def _generate(self):
        result = super()._generate()
        self._demo_bonus(fields.Date.context_today(self))
        return result

    @api.model
    def _demo_bonus(self, today):
        """Sam Seller: salary 700, one remark (40% → 30%), a plan fulfilled at
        91%, so a bonus of 191 as in the article. The manager: the fund variant,
        salary 400, plan fulfilled at 107% (1.3% of sales volume), 70% of the
        fund paid."""
        seller = self.env["res.users"].search([("login", "=", "sales")], limit=1)
        admin = self.env.ref("base.user_admin")
        month = today.replace(day=1) - relativedelta(months=1)
        Period = self.env["repeat.sales.bonus.period"]
        salary, fund = Period.create(
            [
                {
                    "user_id": seller.id,
                    "date_from": month,
                    "measure": "orders",
                    "target": 1,
                    "base_salary": 700,
                    "remark_count": 1,
                },
                {
                    "user_id": admin.id,
                    "date_from": month,
                    "measure": "revenue",
                    "target": 1,
                    "bonus_type": "fund",
                    "base_salary": 400,
                    "targets_met_percent": 70,
                },
            ]
        )
        salary.write(self._demo_target(salary, 91))
        fund.write(self._demo_target(fund, 107))
        self.env["repeat.sales.competition"].create(
            {
                "name": self.env._("Last month's repeat orders"),
                "date_from": month,
                "date_to": today.replace(day=1) - relativedelta(days=1),
                "measure": "repeat_orders",
                "user_ids": [fields.Command.set((seller | admin).ids)],
            }
        )

    @api.model
    def _demo_target(self, period, fulfilment):
        """The plan that ``period``'s achieved figure fulfils at ``fulfilment``%
        (a whole number of orders when one fits, else sales volume)."""
        achieved = period.achieved
        if period.measure == "orders":
            low = int(achieved * 100 / (fulfilment + 0.5)) + 1
            high = int(achieved * 100 / (fulfilment - 0.5)) + 1
            for target in range(max(low, 1), high + 1):
                if float_round(achieved / target * 100, 0) == fulfilment:
                    return {"target": target}
            period.measure = "revenue"
            achieved = period.achieved
        return {"target": round(achieved * 100 / fulfilment, 2) or 1}
