# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # The delays of the call outcomes' next steps (see NEXT_STEPS).
    repeat_call_later_days = fields.Integer(
        string="Call Again After Not Interested (Days)",
        default=90,
        help="A reached customer not interested now gets a new call after this "
        "many days; 0 plans none.",
    )
    repeat_call_wrong_number_days = fields.Integer(
        string="Find a Wrong Number Within (Days)",
        default=1,
        help="Deadline of the to-do to find the right number after a wrong number.",
    )
    repeat_complaint_days = fields.Integer(
        string="Handle Complaints Within (Days)",
        default=1,
        help="Deadline of the activity given to the complaints handler.",
    )

    @api.constrains(
        "repeat_call_later_days",
        "repeat_call_wrong_number_days",
        "repeat_complaint_days",
    )
    def _check_repeat_call_outcome_days(self):
        for company in self:
            if not (
                0 <= company.repeat_call_later_days <= 3650
                and 0 <= company.repeat_call_wrong_number_days <= 365
                and 0 <= company.repeat_complaint_days <= 365
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: a new call after a customer not interested "
                        "is due within 0 to 3,650 days, the search for a right "
                        "number and the handling of a complaint within 0 to 365 "
                        "days.",
                        company=company.display_name,
                    )
                )
