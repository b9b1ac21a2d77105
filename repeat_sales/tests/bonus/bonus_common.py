# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from ..common import RepeatSalesCommon


class BonusCommon(RepeatSalesCommon):
    """Two salespeople, a manager, and the quarter before the current one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Period = cls.env["repeat.sales.bonus.period"]
        cls.Competition = cls.env["repeat.sales.competition"]
        cls.anna = cls._user("rs_bonus_anna", "sales_team.group_sale_salesman")
        cls.boris = cls._user("rs_bonus_boris", "sales_team.group_sale_salesman")
        cls.manager = cls._user("rs_bonus_manager", "sales_team.group_sale_manager")
        this_quarter = cls.today.replace(
            month=(cls.today.month - 1) // 3 * 3 + 1, day=1
        )
        cls.quarter = this_quarter - relativedelta(months=3)
        cls.quarter_end = this_quarter - timedelta(days=1)
        cls.reason = cls.env.ref("repeat_sales.call_reason_sale")

    @classmethod
    def _order_on(cls, partner, day, amount, user):
        """A confirmed order of ``partner`` on ``day``, sold by ``user``."""
        order = cls._order(partner, 0, amount)
        order.write(
            {"date_order": datetime.combine(day, time(10, 0)), "user_id": user.id}
        )
        return order

    @classmethod
    def _complaint(cls, partner, day):
        call = cls.env["repeat.sales.call"].create(
            {
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "outcome": "complaint",
                "complaint": "Late delivery",
                "call_reason_id": cls.reason.id,
            }
        )
        call.call_date = datetime.combine(day, time(11, 0))
        return call

    @classmethod
    def _plan(cls, user, **values):
        return cls.Period.with_user(cls.manager).create(
            {
                "user_id": user.id,
                "date_from": cls.quarter,
                "period_type": "month",
                **values,
            }
        )
