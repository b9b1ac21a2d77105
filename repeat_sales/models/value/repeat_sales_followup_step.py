# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


# The value part's limits on a plan step: the queue's SQL reads them
# (models/plan/followup_queue.py).
# pylint: disable=consider-merging-classes-inherited
class RepeatSalesFollowupStep(models.Model):
    _name = "repeat.sales.followup.step"
    _inherit = ["repeat.sales.followup.step", "repeat.sales.value.selection"]
