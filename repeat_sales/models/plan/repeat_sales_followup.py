# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

from ... import compat
from ..engine.repeat_sales_partner_stat import CUSTOMER_SEGMENTS
from .followup_queue import queue_due_steps_sql
from .rhythm_queue import queue_rhythm_steps_sql

_logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
DIGEST_LINES = 50


@compat.sql_constraints
class RepeatSalesFollowup(models.Model):
    """A plan step carried out for one customer after one purchase.

    The row is the step's only trace of having happened: the key (customer,
    company, step, date of the purchase it follows) is unique, so a step can
    never be carried out twice for the same purchase, whatever reruns.
    """

    _name = "repeat.sales.followup"
    _inherit = ["repeat.sales.input.guard"]
    _description = "Customer Follow-up"
    _check_company_auto = True
    _order = "due_date desc, id desc"
    _rec_name = "step_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade"
    )
    step_id = fields.Many2one(
        "repeat.sales.followup.step",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    order_date = fields.Date(
        string="Purchase Followed",
        required=True,
        help="Date of the customer's last order when the step fell due.",
    )
    due_date = fields.Date(required=True)
    user_id = fields.Many2one("res.users", string="Responsible", index=True)
    state = fields.Selection(
        [
            ("pending", "To Do"),
            ("done", "Carried Out"),
            ("skipped", "Skipped"),
            ("closed", "Closed by an Order"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    skip_reason = fields.Char(readonly=True)
    done_date = fields.Date(
        string="Contacted On",
        readonly=True,
        help="When the customer was reached: the day the e-mail was sent, or the "
        "day the salesperson marked the activity done.",
    )
    deadline = fields.Date(
        string="Activity Deadline",
        readonly=True,
        help="Deadline of the activity given to the salesperson.",
    )
    activity_ids = fields.One2many("mail.activity", "repeat_followup_id", readonly=True)
    digest_sent = fields.Boolean(readonly=True)
    action = fields.Selection(related="step_id.action")
    segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        compute="_compute_customer_figures",
    )
    last_order_date = fields.Date(compute="_compute_customer_figures")
    revenue = fields.Monetary(compute="_compute_customer_figures")
    expected_order_date = fields.Date(compute="_compute_customer_figures")
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "customer_step_purchase_uniq",
            "unique(partner_id, company_id, step_id, order_date)",
            "A step is carried out once per customer and purchase.",
        ),
    ]

    @api.depends("partner_id", "company_id")
    def _compute_customer_figures(self):
        for followup in self:
            # with_company keeps the prefetch: the figures compute in one batch.
            partner = followup.partner_id.with_company(followup.company_id)
            followup.segment = partner.repeat_segment
            followup.last_order_date = partner.repeat_last_order_date
            followup.revenue = partner.repeat_revenue
            followup.expected_order_date = partner.repeat_expected_order_date

    def action_log_call(self):
        """Open the call dialog for this follow-up's planned call."""
        self.ensure_one()
        action = self.partner_id.action_repeat_sales_log_call()
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_activity_id": self.activity_ids[:1].id,
            "default_followup_id": self.id,
        }
        return action

    # ------------------------------------------------------------------
    # Which steps are due: one statement for every customer
    # ------------------------------------------------------------------

    @api.model
    def _queue_due_steps(self, today):
        """Insert a pending row for every step now due, once per purchase.

        The trigger says what a step's days count from: *days without a new
        order* from the customer's last confirmed order, *after an order is
        confirmed* from each confirmed order, even when the customer ordered
        again since. Per purchase, only the due steps with the most days fire
        (95 days after the order: the 90-day step, never the 30-day one late),
        and only within the company's catch-up window (a plan switched on today
        does not replay the history), for the customer's segment; archived
        customers and customers of another company are left out.
        """
        self.env["repeat.sales.followup.step"].flush_model()
        self.env["res.partner"].flush_model(
            ["active", "company_id", "commercial_partner_id"]
        )
        self.env["res.company"].flush_model(["repeat_followup_catch_up_days"])
        self.env.cr.execute(
            queue_due_steps_sql(
                customers=self.env["repeat.sales.partner.stat"]._customers_sql(),
                recent_orders=self.env["repeat.sales.order.facts"]._orders_sql(
                    date_from=SQL(
                        """(SELECT %s::date - MAX(days + catch_up)
                              FROM steps WHERE trigger = 'confirmation')""",
                        today,
                    )
                ),
                today=today,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        queued = self.env.cr.rowcount
        # Steps of the customer's own rhythm: late against their usual gap.
        self.env.cr.execute(
            queue_rhythm_steps_sql(
                customers=self.env["repeat.sales.partner.stat"]._customer_history_sql(),
                today=today,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        queued += self.env.cr.rowcount
        self.invalidate_model()
        return queued

    # ------------------------------------------------------------------
    # Carrying steps out
    # ------------------------------------------------------------------

    @api.model
    def _cron_run_plan(self):
        """One batch of the daily run; the cron runner calls again while steps remain.

        The runner commits after each call and reports progress, so a large
        base never hits the cron time limit, and a run stopped half way
        (crash, timeout, restart) leaves only pending rows, which the next call
        carries out: nothing is done twice.
        """
        remaining = self._run_plan_batch(fields.Date.context_today(self))
        _logger.info("repeat_sales: %s follow-up steps remain", remaining)
        return remaining

    @api.model
    def _run_plan_batch(self, today):
        """Queue the steps due (when none is pending), carry out one batch."""
        if not self.search_count([("state", "=", "pending")], limit=1):
            self._queue_due_steps(today)
        batch = self.search([("state", "=", "pending")], limit=BATCH_SIZE, order="id")
        batch._carry_out()
        remaining = self.search_count([("state", "=", "pending")])
        compat.cron_progress(self.env, done=len(batch), remaining=remaining)
        if not remaining:
            self._send_digests()
        return remaining

    def _carry_out(self):
        """Carry out pending follow-ups through the outreach."""
        pending = self.filtered(lambda followup: followup.state == "pending")
        Outreach = self.env["repeat.sales.outreach"]
        for user, followups in pending.grouped(
            lambda f: Outreach._responsible(f.partner_id, f.company_id)
        ).items():
            followups.user_id = user
        lost = pending.filtered(lambda followup: followup.action == "lost")
        for company, followups in lost.grouped("company_id").items():
            Outreach._flag_lost(followups.partner_id, company)
        lost.state = "done"
        reaching = pending - lost
        requests = [followup._outreach_request() for followup in reaching]
        results = dict(zip(reaching, Outreach._reach(requests, False), strict=True))
        # An e-mail the customer cannot get: a call instead where the step says so.
        calls_instead = reaching.filtered(
            lambda f: (
                results[f].get("skipped") == "no_email" and f.step_id.call_when_no_email
            )
        )
        requests = [followup._outreach_request(True) for followup in calls_instead]
        results.update(
            zip(calls_instead, Outreach._reach(requests, False), strict=True)
        )
        today = fields.Date.context_today(self)
        for (state, done_date, deadline, reason), followups in reaching.grouped(
            lambda f: (
                "skipped" if "skipped" in results[f] else "done",
                "message" in results[f] and today,
                "activity" in results[f] and results[f]["activity"].date_deadline,
                "skipped" in results[f] and Outreach._skip_label(results[f]["skipped"]),
            )
        ).items():
            followups.write(
                {
                    "state": state,
                    "done_date": done_date,
                    "deadline": deadline,
                    "skip_reason": reason,
                }
            )

    def _outreach_request(self, as_call=False):
        """What this follow-up asks of the outreach."""
        self.ensure_one()
        step = self.step_id
        request = {
            "partner": self.partner_id,
            "company": self.company_id,
            "source": self,
            "user": self.user_id,
            "coupon": step._coupon_request(),
        }
        if step.action == "email" and not as_call:
            return {**request, "template": step.mail_template_id}
        return {
            **request,
            "activity_type": self.env.ref("mail.mail_activity_data_call")
            if as_call
            else step.activity_type_id,
            "deadline": fields.Date.context_today(self)
            + timedelta(days=step.activity_deadline_days),
            "summary": step.summary or step.name,
            "note": step.note,
        }

    def _send_digests(self):
        """One message per salesperson listing the follow-ups given since the last."""
        undigested = self.search(
            [
                ("state", "=", "done"),
                ("digest_sent", "=", False),
                ("user_id", "!=", False),
            ]
        )
        for user, followups in undigested.grouped("user_id").items():
            lines = Markup("").join(
                Markup("<li>%s — %s</li>")
                % (followup.partner_id.display_name, followup.step_id.name)
                for followup in followups[:DIGEST_LINES]
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                _(
                    "%(count)s new customer follow-ups are waiting for you.",
                    count=len(followups),
                ),
                lines,
            )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=_("Your customer follow-ups"),
                body=body,
            )
        undigested.write({"digest_sent": True})

    # ------------------------------------------------------------------
    # A new order ends the open plan
    # ------------------------------------------------------------------

    @api.model
    def _open_plans(self, partner_ids, company_ids):
        """Follow-ups of these customers not carried out yet or with an
        activity still to do."""
        return self.search(
            [
                ("partner_id", "in", partner_ids),
                ("company_id", "in", company_ids),
                "|",
                ("state", "=", "pending"),
                ("activity_ids", "!=", False),
            ]
        )

    @api.model
    def _end_plans(self, orders):
        """A confirmed order ends its customer's plan, which restarts from it.

        Open follow-ups (not carried out yet, or with an activity still to do)
        are closed, their activities marked done with a note naming the order,
        and a customer flagged lost by this company is lost no more.
        """
        Partner = self.env["res.partner"]
        for company, company_orders in orders.grouped("company_id").items():
            Partner.with_company(company).search(
                [
                    ("id", "in", company_orders.partner_id.commercial_partner_id.ids),
                    ("repeat_lost_date", "!=", False),
                ]
            ).write({"repeat_lost_date": False})
        orders_by_customer = {
            (order.partner_id.commercial_partner_id.id, order.company_id.id): order
            for order in orders
        }
        candidates = self._open_plans(
            orders.partner_id.commercial_partner_id.ids, orders.company_id.ids
        )
        for customer, followups in candidates.grouped(
            lambda followup: (followup.partner_id.id, followup.company_id.id)
        ).items():
            order = orders_by_customer.get(customer)
            if not order:
                continue
            followups.activity_ids.action_feedback(
                feedback=_(
                    "The customer ordered %(order)s on %(date)s.",
                    order=order.name,
                    date=format_date(self.env, order.date_order),
                )
            )
            followups.write({"state": "closed"})

    @api.model
    def _stop_plans(self, customers, reason):
        """End open plans without an order: skip them. ``customers`` is a set
        of (partner, company) pairs."""
        open_followups = self._open_plans(
            [partner.id for partner, _company in customers],
            [company.id for _partner, company in customers],
        ).filtered(lambda f: (f.partner_id, f.company_id) in customers)
        open_followups.activity_ids.unlink()
        open_followups.write({"state": "skipped", "skip_reason": reason})
