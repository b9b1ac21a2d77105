# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.repeat_sales_partner_stat import SEGMENTS


class RepeatSalesFollowupStep(models.Model):
    """One step of a company's follow-up plan.

    A step is due for a customer when its number of days has passed since the
    customer's last confirmed order without a new one. Of all the steps due,
    only those with the most days are carried out: a customer 95 days after
    the last order gets the 90-day steps, never the 30-day ones late.

    A rhythm step is due when a customer with at least 3 orders is late
    against their own rhythm (``rhythm_queue``): a weekly buyer a few days
    after a missed week, a yearly buyer not before the year is over.
    """

    _name = "repeat.sales.followup.step"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Follow-up Plan Step"
    # Below zero days, ``_check_step`` says it; a year is plenty for an activity.
    _repeat_ranges = {
        "days": (None, 3650),
        "activity_deadline_days": (0, 365),
        "rhythm_factor": (0.1, 100),
    }
    _order = "company_id, days, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    trigger = fields.Selection(
        [
            ("confirmation", "After an order is confirmed"),
            ("no_order", "Days without a new order"),
            ("rhythm", "Late against the customer's own rhythm"),
        ],
        required=True,
        default="no_order",
    )
    days = fields.Integer(
        required=True,
        default=0,
        help="Days after the customer's last confirmed order. For a step after "
        "confirmation, 0 means the first run after the order. For a rhythm step, "
        "days after the customer is late.",
    )
    rhythm_basis = fields.Selection(
        [
            ("gap", "A multiple of their usual gap"),
            ("expected", "Their expected next order"),
        ],
        string="Late After",
        default="gap",
        help="When a customer with at least 3 orders is late: once the days since "
        "their last order exceed the factor times their average gap between "
        "orders, or after their expected next order date.",
    )
    rhythm_factor = fields.Float(
        string="Times Their Usual Gap",
        default=1.5,
        digits=(16, 1),
        help="1.5: a customer who orders every 8 days is late after 12 days "
        "without an order, one who orders every 60 days after 90.",
    )
    action = fields.Selection(
        [
            ("email", "Send an e-mail"),
            ("activity", "Schedule an activity"),
            ("lost", "Flag the customer as lost"),
        ],
        required=True,
        default="activity",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'res.partner')]",
    )
    activity_type_id = fields.Many2one("mail.activity.type")
    summary = fields.Char(translate=True)
    note = fields.Html(translate=True)
    activity_deadline_days = fields.Integer(
        string="Deadline (Days)",
        default=2,
        help="Days the salesperson has to carry out the activity.",
    )
    call_when_no_email = fields.Boolean(
        string="Call When No E-mail",
        help="When the customer has no usable e-mail address (none, or "
        "blacklisted), schedule a call with the fallback activity type instead.",
    )
    apply_to_hot = fields.Boolean(string="Hot Customers", default=True)
    apply_to_warm = fields.Boolean(string="Warm Customers", default=True)
    apply_to_sleeping = fields.Boolean(string="Sleeping Customers", default=True)
    is_call = fields.Boolean(compute="_compute_is_call", store=True)

    @api.depends("action", "activity_type_id.category")
    def _compute_is_call(self):
        for step in self:
            step.is_call = (
                step.action == "activity"
                and step.activity_type_id.category == "phonecall"
            )

    def _segments(self):
        self.ensure_one()
        return [segment for segment, _label in SEGMENTS if self[f"apply_to_{segment}"]]

    @api.constrains(
        "days",
        "action",
        "mail_template_id",
        "activity_type_id",
        "company_id",
        "active",
        "apply_to_hot",
        "apply_to_warm",
        "apply_to_sleeping",
        "trigger",
        "rhythm_basis",
        "rhythm_factor",
    )
    def _check_step(self):
        for step in self:
            if step.days < 0:
                raise ValidationError(
                    _(
                        "The step “%(step)s” cannot be due a negative number of days "
                        "after the order.",
                        step=step.name,
                    )
                )
            if step.action == "email":
                if not step.mail_template_id:
                    raise ValidationError(
                        _(
                            "The e-mail step “%(step)s” needs an e-mail template.",
                            step=step.name,
                        )
                    )
                if step.mail_template_id.model != "res.partner":
                    raise ValidationError(
                        _(
                            "The template “%(template)s” of the step “%(step)s” is "
                            "made for %(model)s; a follow-up e-mail is written to a "
                            "customer and needs a template for Contacts.",
                            template=step.mail_template_id.name,
                            step=step.name,
                            model=step.mail_template_id.model_id.name,
                        )
                    )
            if step.action == "activity" and not step.activity_type_id:
                raise ValidationError(
                    _(
                        "The activity step “%(step)s” needs an activity type.",
                        step=step.name,
                    )
                )
            if not step._segments():
                raise ValidationError(
                    _("The step “%(step)s” applies to no segment.", step=step.name)
                )
        self._check_rhythm_twins()
        twins = self._read_group(
            [("company_id", "in", self.company_id.ids), ("trigger", "!=", "rhythm")],
            groupby=["company_id", "days", "action", "activity_type_id"],
            aggregates=["__count"],
            having=[("__count", ">", 1)],
        )
        if twins:
            company, days, _action, _activity_type, _count = twins[0]
            raise ValidationError(
                _(
                    "Two steps of %(company)s do the same thing on day %(days)s: "
                    "give one of them another day or another action.",
                    company=company.name,
                    days=days,
                )
            )

    def _check_rhythm_twins(self):
        """No two rhythm steps of a company do the same thing at the same point."""
        twins = self._read_group(
            [("company_id", "in", self.company_id.ids), ("trigger", "=", "rhythm")],
            groupby=[
                "company_id",
                "rhythm_basis",
                "rhythm_factor",
                "days",
                "action",
                "activity_type_id",
            ],
            aggregates=["__count"],
            having=[("__count", ">", 1)],
        )
        if twins:
            raise ValidationError(
                _(
                    "Two rhythm steps of %(company)s do the same thing when a "
                    "customer is equally late: give one of them another factor, "
                    "other days or another action.",
                    company=twins[0][0].name,
                )
            )
