# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The addon's per-company data: every company gets a copy of the shipped ones.
DEFAULT_DATA_MODELS = (
    "repeat.sales.call.reason",
    "repeat.sales.call.script",
    "repeat.sales.followup.step",
    "repeat.sales.occasion",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    repeat_hot_days = fields.Integer(
        string="Hot Up To (Days)",
        default=30,
        help="A customer whose last order is at most this many days old is hot.",
    )
    repeat_warm_days = fields.Integer(
        string="Warm Up To (Days)",
        default=120,
        help="A customer whose last order is older than the hot threshold and at "
        "most this many days old is warm; older ones are sleeping.",
    )

    repeat_followup_user_id = fields.Many2one(
        "res.users",
        string="Follow-up Fallback User",
        help="Responsible for the follow-ups of customers without a salesperson.",
    )
    repeat_followup_catch_up_days = fields.Integer(
        string="Follow-up Catch-up (Days)",
        default=14,
        help="A step still fires this many days after its due day (when the "
        "scheduled action did not run); older ones are let go, so switching the "
        "plan on does not replay the whole history.",
    )

    repeat_call_retry_days = fields.Integer(
        string="Retry Unanswered Calls After (Days)", default=2
    )
    repeat_call_max_attempts = fields.Integer(
        string="Call Attempts",
        default=3,
        help="Unanswered calls in a row before the customer gets an e-mail instead.",
    )
    repeat_call_attribution_days = fields.Integer(
        string="Credit Orders to Calls For (Days)",
        default=30,
        help="An order placed within this many days after a reached call is "
        "credited to that call.",
    )
    repeat_complaint_user_id = fields.Many2one(
        "res.users",
        string="Complaints Handled By",
        help="Gets an activity for every complaint heard on a call; when empty, "
        "the leader of the customer's salesperson's team, else the caller's team "
        "leader.",
    )

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
                    _(
                        "%(company)s: a new call after a customer not interested "
                        "is due within 0 to 3,650 days, the search for a right "
                        "number and the handling of a complaint within 0 to 365 "
                        "days.",
                        company=company.display_name,
                    )
                )

    repeat_default_return_rate = fields.Float(
        string="Assumed Return Rate (%)",
        default=30.0,
        digits=(16, 1),
        help="Share of contacted sleeping customers expected to order again, used "
        "to value sleeping customers until enough contacts were measured.",
    )
    repeat_return_rate_min_contacts = fields.Integer(
        string="Contacts Needed to Measure",
        default=30,
        help="Below this many contacted sleeping customers, the assumed return "
        "rate is used instead of the measured one.",
    )

    @api.constrains("repeat_default_return_rate", "repeat_return_rate_min_contacts")
    def _check_repeat_return_rate(self):
        for company in self:
            if not 0 <= company.repeat_default_return_rate <= 100:
                raise ValidationError(
                    _(
                        "The assumed return rate of %(company)s must be between 0 "
                        "and 100%%.",
                        company=company.display_name,
                    )
                )
            if company.repeat_return_rate_min_contacts < 1:
                raise ValidationError(
                    _(
                        "%(company)s needs at least 1 contact to measure its return "
                        "rate.",
                        company=company.display_name,
                    )
                )

    repeat_offer_min_customers = fields.Integer(
        string="Offer Rules: Minimum Customers",
        default=5,
        help="A rule is mined only when at least this many customers show it.",
    )
    repeat_offer_min_confidence = fields.Float(
        string="Offer Rules: Minimum Confidence",
        default=0.1,
        help="Share of the customers who bought the first product that also "
        "bought the offered one (0.1 = 10%).",
    )
    repeat_offer_min_lift = fields.Float(
        string="Offer Rules: Minimum Lift",
        default=1.5,
        help="How many times more often the offered product is bought after the "
        "first one than by customers in general.",
    )
    repeat_offer_window_days = fields.Integer(
        string="Offer Rules: Window (Days)",
        default=180,
        help='"Bought next" counts the products bought at most this many days '
        "after the first one.",
    )
    repeat_offer_lead_days = fields.Integer(
        string="Offers Shown Ahead (Days)",
        default=7,
        help="An offer appears this many days before the day the customer is "
        "expected to need the product.",
    )
    repeat_offer_validity_days = fields.Integer(
        string="Offers Valid For (Days)",
        default=30,
        help="An offer expires this many days after the day the customer is "
        "expected to need the product.",
    )

    @api.constrains(
        "repeat_offer_min_customers",
        "repeat_offer_min_confidence",
        "repeat_offer_min_lift",
        "repeat_offer_window_days",
        "repeat_offer_lead_days",
        "repeat_offer_validity_days",
    )
    def _check_repeat_offer_settings(self):
        for company in self:
            if (
                company.repeat_offer_min_customers < 1
                or company.repeat_offer_window_days < 1
                or company.repeat_offer_validity_days < 1
                or company.repeat_offer_lead_days < 0
                or not 0 <= company.repeat_offer_min_confidence <= 1
                or company.repeat_offer_min_lift < 0
            ):
                raise ValidationError(
                    _(
                        "%(company)s: offer rules need at least one customer, a "
                        "window and a validity of at least one day, a confidence "
                        "between 0 and 1, and no negative lift or lead days.",
                        company=company.display_name,
                    )
                )

    @api.constrains(
        "repeat_followup_catch_up_days",
        "repeat_call_retry_days",
        "repeat_call_max_attempts",
        "repeat_call_attribution_days",
    )
    def _check_repeat_numbers(self):
        for company in self:
            if company.repeat_followup_catch_up_days < 0:
                raise ValidationError(
                    _(
                        "The follow-up catch-up of %(company)s cannot be negative.",
                        company=company.display_name,
                    )
                )
            if (
                company.repeat_call_retry_days < 1
                or company.repeat_call_max_attempts < 1
                or company.repeat_call_attribution_days < 1
            ):
                raise ValidationError(
                    _(
                        "%(company)s: the call retry delay, the number of call "
                        "attempts and the days an order is credited to a call must "
                        "each be at least 1.",
                        company=company.display_name,
                    )
                )

    @api.constrains("repeat_hot_days", "repeat_warm_days")
    def _check_repeat_thresholds(self):
        for company in self:
            if company.repeat_hot_days <= 0 or company.repeat_warm_days <= 0:
                raise ValidationError(
                    _(
                        "The hot and warm thresholds of %(company)s must be a "
                        "positive number of days.",
                        company=company.display_name,
                    )
                )
            if company.repeat_hot_days >= company.repeat_warm_days:
                raise ValidationError(
                    _(
                        "The hot threshold of %(company)s (%(hot)s days) must be "
                        "shorter than its warm threshold (%(warm)s days).",
                        company=company.display_name,
                        hot=company.repeat_hot_days,
                        warm=company.repeat_warm_days,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._repeat_sales_create_defaults()
        return companies

    def _repeat_sales_create_defaults(self):
        """Give each company the shipped call reasons, call script and plan.

        The shipped records (``data/``, main company) are the templates. A
        company that already has records of a kind (its own, or archived) keeps
        them: rerunning this on every company (install, upgrade) adds nothing
        twice. Thresholds and other settings are ``res.company`` fields with
        defaults, set for every company already.
        """
        # sudo: only administrators read ir.model.data; this reads the addon's
        # own shipped records.
        shipped = (
            self.env["ir.model.data"]
            .sudo()
            ._read_group(
                [("module", "=", "repeat_sales"), ("model", "in", DEFAULT_DATA_MODELS)],
                ["model"],
                ["res_id:array_agg"],
            )
        )
        for model, res_ids in shipped:
            # sudo: a new company is not among its creator's companies yet;
            # the defaults are the addon's, not the user's.
            Model = self.env[model].sudo().with_context(active_test=False)
            templates = Model.browse(res_ids).exists()
            equipped = {
                company
                for [company] in Model._read_group(
                    [("company_id", "in", self.ids)], ["company_id"]
                )
            }
            for company in self:
                if company not in equipped:
                    templates.copy({"company_id": company.id})

    def write(self, vals):
        result = super().write(vals)
        if {"repeat_hot_days", "repeat_warm_days"} & vals.keys():
            self.env["repeat.sales.partner.stat"]._recompute_company_segments(self)
        return result
