# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..engine.repeat_sales_partner_stat import CUSTOMER_SEGMENTS

OUTCOMES = [
    ("will_order", "Reached — will order"),
    ("not_interested", "Reached — not interested now"),
    ("complaint", "Reached — complaint"),
    ("competitor", "Reached — buys from a competitor"),
    ("call_back", "Call back later"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
    ("do_not_call", "Do not call"),
]
LAST_ORDERS_SHOWN = 5
# Someone answered and talked with us: such a call may win the next order.
REACHED = {"will_order", "not_interested", "complaint", "competitor", "call_back"}


class RepeatSalesCall(models.Model):
    """A reactivation call and what came of it.

    Saving a call carries out what its outcome asks for (a retry, a call-back,
    a manager's activity for a complaint, …); an order confirmed within the
    company's attribution window after a reached call is credited to it.
    """

    _name = "repeat.sales.call"
    _description = "Reactivation Call"
    _inherit = ["mail.thread", "repeat.sales.input.guard"]
    _order = "call_date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True
    _repeat_derived_fields = ("won", "won_amount", "order_ids")
    _repeat_ranges = {"duration": (None, 24 * 60)}

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Spoke With",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Caller",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    call_date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    active = fields.Boolean(default=True)
    activity_id = fields.Many2one(
        "mail.activity",
        string="Planned Call",
        ondelete="set null",
        help="The activity this call carries out; it is marked done with the call.",
    )
    followup_id = fields.Many2one(
        "repeat.sales.followup", readonly=True, ondelete="set null", check_company=True
    )
    segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        string="Segment at Call",
        readonly=True,
    )
    call_reason_id = fields.Many2one(
        "repeat.sales.call.reason",
        string="Reason for the Call",
        domain="[('company_id', '=', company_id)]",
        check_company=True,
    )
    outcome = fields.Selection(OUTCOMES, required=True, tracking=True)
    reached = fields.Boolean(compute="_compute_reached", store=True)
    lost_reason_id = fields.Many2one(
        "repeat.sales.lost.reason", string="Why They Stopped Buying"
    )
    note = fields.Text(string="Notes")
    complaint = fields.Text()
    complaint_state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        compute="_compute_complaint_state",
        store=True,
        readonly=False,
        tracking=True,
    )
    promised_date = fields.Date(string="Promised Purchase")
    callback_date = fields.Date(string="Call Back On")
    duration = fields.Float(string="Duration (Minutes)", digits=(16, 1))
    attempt = fields.Integer(
        readonly=True,
        help="How many calls in a row went unanswered, this one included.",
    )
    order_ids = fields.One2many("sale.order", "repeat_call_id", string="Orders Won")
    won = fields.Boolean(compute="_compute_won", store=True)
    won_amount = fields.Monetary(
        string="Revenue Won",
        compute="_compute_won",
        store=True,
        help="Untaxed amount of the orders credited to this call, in company currency.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The dialog's read-only context: the script and the customer at a glance.
    script_opening = fields.Html(compute="_compute_script", string="1. Ask")
    script_reason = fields.Html(compute="_compute_script", string="2. Why We Call")
    script_urgency = fields.Html(
        compute="_compute_script", string="3. A Reason to Come Soon"
    )
    customer_segment = fields.Selection(related="partner_id.repeat_segment")
    customer_revenue = fields.Monetary(related="partner_id.repeat_revenue")
    customer_last_order_date = fields.Date(related="partner_id.repeat_last_order_date")
    customer_order_count = fields.Integer(related="partner_id.repeat_order_count")
    customer_order_ids = fields.Many2many(
        "sale.order", compute="_compute_customer_order_ids", string="Last Orders"
    )
    customer_offer_ids = fields.Many2many(
        "repeat.sales.offer",
        compute="_compute_customer_offer_ids",
        string="Offers to Mention",
        help="The customer's open offers: a concrete reason to come soon.",
    )

    @api.depends("outcome")
    def _compute_reached(self):
        for call in self:
            call.reached = call.outcome in REACHED

    @api.depends("outcome")
    def _compute_complaint_state(self):
        for call in self:
            if call.outcome != "complaint":
                call.complaint_state = False
            elif not call.complaint_state:
                call.complaint_state = "open"

    @api.depends(
        "order_ids.amount_untaxed", "order_ids.currency_rate", "order_ids.state"
    )
    def _compute_won(self):
        for call in self:
            orders = self.env["repeat.sales.order.facts"]._counted(call.order_ids)
            call.won = bool(orders)
            call.won_amount = sum(
                call.currency_id.round(
                    order.amount_untaxed / (order.currency_rate or 1.0)
                )
                for order in orders
            )

    @api.depends("partner_id", "company_id", "call_reason_id", "segment")
    def _compute_script(self):
        scripts = self.env["repeat.sales.call.script"].search(
            [("company_id", "in", self.company_id.ids)]
        )
        for call in self:
            segment = call.segment or call.partner_id.repeat_segment
            candidates = scripts.filtered(
                lambda script, call=call: script.company_id == call.company_id
            )
            script = (
                candidates.filtered(
                    lambda script, segment=segment: script.segment == segment
                )[:1]
                or candidates.filtered(lambda script: script.segment == "all")[:1]
            )
            call.script_opening = script.opening
            call.script_reason = call.call_reason_id.script
            call.script_urgency = script.urgency

    @api.depends("partner_id", "company_id")
    def _compute_customer_order_ids(self):
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "child_of", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                *self.env["repeat.sales.order.facts"]._counted_domain(),
            ],
            order="date_order desc, id desc",
        )
        for call in self:
            call.customer_order_ids = orders.filtered(
                lambda order, call=call: (
                    order.partner_id.commercial_partner_id == call.partner_id
                    and order.company_id == call.company_id
                )
            )[:LAST_ORDERS_SHOWN]

    @api.depends("partner_id", "company_id")
    def _compute_customer_offer_ids(self):
        offers = self.env["repeat.sales.offer"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "in", ("proposed", "sent")),
            ],
            order="score desc, id",
        )
        for call in self:
            call.customer_offer_ids = offers.filtered(
                lambda offer, call=call: (
                    offer.partner_id == call.partner_id
                    and offer.company_id == call.company_id
                )
            )

    @api.onchange("activity_id")
    def _onchange_activity_id(self):
        if self.activity_id.res_model == "res.partner":
            self.partner_id = (
                self.env["res.partner"]
                .browse(self.activity_id.res_id)
                .commercial_partner_id
            )

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    @api.constrains(
        "outcome",
        "promised_date",
        "callback_date",
        "duration",
        "complaint",
        "call_reason_id",
        "lost_reason_id",
    )
    def _check_call(self):
        for call in self:
            if call.duration < 0:
                raise ValidationError(
                    _("A call cannot last a negative number of minutes.")
                )
            if call.outcome in REACHED and not call.call_reason_id:
                raise ValidationError(
                    _("Choose the reason for the call: we never call without one.")
                )
            if call.outcome == "will_order" and not call.promised_date:
                raise ValidationError(
                    _("The customer will order: note when they promised to.")
                )
            if call.outcome == "call_back" and not call.callback_date:
                raise ValidationError(_("Note when to call the customer back."))
            if call.outcome == "complaint" and not (call.complaint or "").strip():
                raise ValidationError(_("Describe the customer's complaint."))
            if call.outcome == "competitor" and not call.lost_reason_id:
                raise ValidationError(
                    _("Note why the customer buys from a competitor now.")
                )

    @api.constrains("promised_date", "callback_date")
    def _check_dates_not_past(self):
        """Promised and call-back dates are not past when logged or moved."""
        today = fields.Date.context_today(self)
        for call in self:
            if call.promised_date and call.promised_date < today:
                raise ValidationError(
                    _(
                        "The promised purchase date %(date)s is already past.",
                        date=format_date(self.env, call.promised_date),
                    )
                )
            if call.callback_date and call.callback_date < today:
                raise ValidationError(
                    _(
                        "The call-back date %(date)s is already past.",
                        date=format_date(self.env, call.callback_date),
                    )
                )

    # ------------------------------------------------------------------
    # What an outcome leads to
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get(["partner_id", "company_id", "activity_id"])
        for vals in vals_list:
            if not vals.get("outcome"):
                raise ValidationError(_("Choose the outcome of the call."))
            company = self.env["res.company"].browse(
                vals.get("company_id", defaults.get("company_id"))
            )
            customer = (
                self.env["res.partner"]
                .browse(vals.get("partner_id", defaults.get("partner_id")))
                .commercial_partner_id
            )
            activity = self.env["mail.activity"].browse(
                vals.get("activity_id", defaults.get("activity_id"))
            )
            vals.update(
                partner_id=customer.id,
                segment=customer.with_company(company).repeat_segment,
                followup_id=vals.get("followup_id") or activity.repeat_followup_id.id,
            )
        calls = super().create(vals_list)
        self.env["repeat.sales.call.outcome"]._apply(calls)
        return calls

    def write(self, vals):
        result = super().write(vals)
        if vals.get("promised_date") or vals.get("callback_date"):
            self.env["repeat.sales.call.outcome"]._reschedule(self)
        return result

    def action_resolve_complaint(self):
        self.complaint_state = "resolved"

    # ------------------------------------------------------------------
    # Orders won by calls
    # ------------------------------------------------------------------

    @api.model
    def _on_orders_confirmed(self, orders):
        """Credit new orders to reached calls; close the promises they keep.

        One search of the customers' calls serves both: a customer never
        called costs that search only.
        """
        calls = self.search(
            [
                ("partner_id", "in", orders.partner_id.commercial_partner_id.ids),
                ("company_id", "in", orders.company_id.ids),
            ],
            order="call_date desc, id desc",
        )
        if calls:
            calls.filtered("reached")._credit_orders(orders)
            # The promised order came; a "not interested" customer came back.
            calls.filtered(
                lambda call: call.outcome in ("will_order", "not_interested")
            )._end_promises(orders)

    def _credit_orders(self, orders):
        """Credit each order to the customer's last reached call in the window.

        Window: the order is placed at most the company's attribution days
        after the call's day (day N counts, day N + 1 does not). ``self`` are
        the candidate calls, newest first.
        """
        for order in orders.filtered(lambda order: not order.repeat_call_id):
            order_day = fields.Date.to_date(order.date_order)
            first_day = order_day - timedelta(
                days=order.company_id.repeat_call_attribution_days
            )
            order.repeat_call_id = next(
                (
                    call
                    for call in self
                    if call.partner_id == order.partner_id.commercial_partner_id
                    and call.company_id == order.company_id
                    and first_day <= call.call_date.date() <= order_day
                ),
                False,
            )

    def _end_promises(self, orders):
        """An order keeps the customer's promise: its reminder is done."""
        for activity in self.env["mail.activity"].search(
            [("repeat_call_id", "in", self.ids)]
        ):
            order = orders.filtered(
                lambda order, customer=activity.repeat_call_id.partner_id: (
                    order.partner_id.commercial_partner_id == customer
                )
            )[:1]
            activity.action_feedback(
                feedback=_("The customer ordered %(order)s.", order=order.name)
            )
