# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


# A follow-up step may give each customer it reaches a personal coupon.
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesFollowupStep(models.Model):
    _name = "repeat.sales.followup.step"
    _inherit = ["repeat.sales.followup.step", "repeat.sales.coupon.offer"]
