# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

from ... import compat
from ..engine.repeat_sales_partner_stat import CUSTOMER_SEGMENTS

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
    _description = "Customer Follow-up"
    _order = "due_date desc, id desc"
    _rec_name = "step_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade"
    )
    step_id = fields.Many2one(
        "repeat.sales.followup.step", required=True, index=True, ondelete="cascade"
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
            ("done", "Done"),
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

        For each customer, the due steps are the active steps of its company
        with the most days among those whose day has come, still inside the
        company's catch-up window (so a plan switched on today does not fire
        years of history), and applying to the customer's segment. Archived
        customers and customers of another company are left out.
        """
        self.env["repeat.sales.followup.step"].flush_model()
        self.env["res.partner"].flush_model(["active", "company_id"])
        self.env["res.company"].flush_model(["repeat_followup_catch_up_days"])
        self.env.cr.execute(
            SQL(
                """
                WITH reached AS (
                    SELECT customer.partner_id, customer.company_id,
                           customer.last_order_date, step.id AS step_id, step.days,
                           MAX(step.days) OVER (
                               PARTITION BY customer.partner_id, customer.company_id
                           ) AS latest_days
                      FROM res_company company
                      JOIN repeat_sales_followup_step step
                        ON step.company_id = company.id AND step.active
                      JOIN %(customers)s customer
                        ON customer.company_id = company.id
                       AND customer.segment IN ('hot', 'warm', 'sleeping')
                       AND customer.last_order_date
                           BETWEEN %(today)s::date - step.days
                                   - company.repeat_followup_catch_up_days
                               AND %(today)s::date - step.days
                      JOIN res_partner partner ON partner.id = customer.partner_id
                     WHERE partner.active
                       AND (partner.company_id IS NULL
                            OR partner.company_id = customer.company_id)
                       AND CASE customer.segment
                               WHEN 'hot' THEN step.apply_to_hot
                               WHEN 'warm' THEN step.apply_to_warm
                               ELSE step.apply_to_sleeping
                           END
                )
                INSERT INTO repeat_sales_followup
                       (partner_id, company_id, step_id, order_date, due_date, state,
                        digest_sent, create_uid, create_date, write_uid, write_date)
                SELECT partner_id, company_id, step_id, last_order_date,
                       last_order_date + days, 'pending', false,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM reached
                 WHERE days = latest_days
                ON CONFLICT (partner_id, company_id, step_id, order_date) DO NOTHING
                """,
                customers=self.env["repeat.sales.partner.stat"]._customers_sql(),
                today=today,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

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
        """Carry out pending follow-ups: e-mails, activities, lost flags."""
        pending = self.filtered(lambda followup: followup.state == "pending")
        pending._assign_responsible()
        by_action = pending.grouped("action")
        emails = by_action.get("email", self.browse())
        unreachable = emails.filtered(lambda followup: not followup._can_email())
        calls_instead = unreachable.filtered("step_id.call_when_no_email")
        (unreachable - calls_instead)._skip(_("No usable e-mail address"))
        calls = calls_instead | by_action.get("activity", self.browse()).filtered(
            "step_id.is_call"
        )
        do_not_call = calls.filtered("partner_id.repeat_do_not_call")
        do_not_call._skip(_("The customer asked not to be called"))
        (emails - unreachable)._send_emails()
        (by_action.get("activity", self.browse()) - do_not_call)._schedule_activities()
        (calls_instead - do_not_call)._schedule_activities(as_call=True)
        by_action.get("lost", self.browse())._flag_lost()

    def _can_email(self):
        partner = self.partner_id.with_company(self.company_id)
        return (
            bool(partner.email_normalized)
            and not partner.is_blacklisted
            and not partner.repeat_lost_date
        )

    def _skip(self, reason):
        self.write({"state": "skipped", "skip_reason": reason})

    def _assign_responsible(self):
        """The customer's salesperson, else the company's follow-up user."""
        by_user = defaultdict(list)
        for followup in self:
            responsible = (
                followup.partner_id.user_id
                or followup.company_id.repeat_followup_user_id
            )
            by_user[responsible.id].append(followup.id)
        for user_id, followup_ids in by_user.items():
            self.browse(followup_ids).write({"user_id": user_id})

    def _send_emails(self):
        for followup in self:
            template = followup.step_id.mail_template_id
            followup.partner_id.with_company(
                followup.company_id
            ).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=followup.partner_id.ids,
            )
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})

    def _schedule_activities(self, as_call=False):
        if not self:
            return
        call_type = self.env.ref("mail.mail_activity_data_call")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = [
            {
                "res_model_id": partner_model,
                "res_id": followup.partner_id.id,
                "activity_type_id": (
                    call_type if as_call else followup.step_id.activity_type_id
                ).id,
                "summary": followup.step_id.summary or followup.step_id.name,
                "note": followup.step_id.note,
                "user_id": followup.user_id.id or self.env.uid,
                "date_deadline": today
                + timedelta(days=followup.step_id.activity_deadline_days),
                "repeat_followup_id": followup.id,
            }
            for followup in self
        ]
        # No notification per activity: salespeople get one digest per run.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        for deadline, followups in self.grouped(
            lambda followup: (
                today + timedelta(days=followup.step_id.activity_deadline_days)
            )
        ).items():
            followups.write({"state": "done", "deadline": deadline})

    def _flag_lost(self):
        today = fields.Date.context_today(self)
        for company, followups in self.grouped("company_id").items():
            followups.partner_id.with_company(company).write(
                {"repeat_lost_date": today}
            )
        self.write({"state": "done"})

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
        candidates = self.search(
            [
                ("partner_id", "in", orders.partner_id.commercial_partner_id.ids),
                ("company_id", "in", orders.company_id.ids),
                "|",
                ("state", "=", "pending"),
                ("activity_ids", "!=", False),
            ]
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
