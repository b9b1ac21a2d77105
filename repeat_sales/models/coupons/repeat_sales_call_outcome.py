# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..calls.repeat_sales_call import REACHED


class RepeatSalesCallOutcome(models.AbstractModel):
    """A call that reached the customer gives the coupon it carries, before
    the call is noted, so that the note names its code."""

    _inherit = "repeat.sales.call.outcome"

    @api.model
    def _apply(self, calls):
        self.env["repeat.sales.outreach"]._give_coupons(
            [
                {
                    "partner": call.partner_id,
                    "company": call.company_id,
                    "source": call,
                    "user": call.user_id,
                    "channel": "phone",
                    "agreed": True,
                    "coupon": call._coupon_request(),
                }
                for call in calls
                if call.outcome in REACHED
            ],
            check=True,
        )
        return super()._apply(calls)

    @api.model
    def _call_summary(self, call):
        summary = super()._call_summary(call)
        for card in call.repeat_coupon_ids:
            summary += card._repeat_coupon_html()
        return summary
