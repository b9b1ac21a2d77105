# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The longest a personal coupon may be valid: ten years.
MAX_VALIDITY_DAYS = 3650


class RepeatSalesCouponOffer(models.AbstractModel):
    """A personal coupon that a step, a campaign or a call gives the customer
    it reaches: one of Odoo's coupon programs (its reward says the amount or
    percentage, its rule the minimum order) and how many days the coupon is
    valid. The card itself is issued by ``loyalty.card._repeat_issue_coupons``
    through the outreach."""

    _name = "repeat.sales.coupon.offer"
    _description = "Personal Coupon Offer"

    coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Personal Coupon",
        domain="[('program_type', '=', 'coupons'), "
        "('company_id', 'in', (company_id, False))]",
        help="A coupon program of Odoo's loyalty: each customer reached gets a "
        "personal coupon of it, with its code in the e-mail or the activity.",
    )
    coupon_validity_days = fields.Integer(
        string="Coupon Valid for (Days)",
        default=30,
        help="The coupon expires this many days after it is given.",
    )

    @api.constrains("coupon_program_id", "coupon_validity_days", "company_id")
    def _check_coupon_offer(self):
        for offer in self.filtered("coupon_program_id"):
            program = offer.coupon_program_id
            if program.program_type != "coupons":
                raise ValidationError(
                    _(
                        "%(program)s is not a coupon program: choose a program "
                        "of the Coupons kind.",
                        program=program.name,
                    )
                )
            if program.company_id and program.company_id != offer.company_id:
                raise ValidationError(
                    _(
                        "The coupon program %(program)s belongs to another company.",
                        program=program.name,
                    )
                )
            if not 1 <= offer.coupon_validity_days <= MAX_VALIDITY_DAYS:
                raise ValidationError(
                    _(
                        "A coupon is valid for 1 to %(max)s days.",
                        max=MAX_VALIDITY_DAYS,
                    )
                )

    def copy_data(self, default=None):
        # A copy for another company (a new company's default steps) leaves
        # out a coupon program of this one.
        vals_list = super().copy_data(default)
        for offer, vals in zip(self, vals_list, strict=True):
            program = offer.coupon_program_id
            company_id = vals.get("company_id")
            if program.company_id.id not in (company_id, False) and company_id:
                vals["coupon_program_id"] = False
        return vals_list

    def _coupon_request(self):
        """What the outreach request carries for the coupon, or None."""
        self.ensure_one()
        if not self.coupon_program_id:
            return None
        return {
            "program": self.coupon_program_id,
            "days": self.coupon_validity_days,
        }
