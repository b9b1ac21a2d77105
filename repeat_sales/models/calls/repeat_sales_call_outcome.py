# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_date, plaintext2html

from .repeat_sales_call import OUTCOMES

# What each outcome leads to. ``step``: an activity, a retry (an activity
# until the company's attempts are used up, then an e-mail), the lost flag, or
# do-not-call. An activity is due on a date of the call (``date_field``) or a
# company setting's days from today (``days_setting``; 0 = no activity), for
# the caller or the complaints handler, through the outreach's ``channel``
# (``agreed``: the customer asked for it, so the lost flag does not stop it).
CALL = "mail.mail_activity_data_call"
TODO = "mail.mail_activity_data_todo"
NEXT_STEPS = {
    "no_answer": {
        "step": "retry",
        "activity_type": CALL,
        "days_setting": "repeat_call_retry_days",
        "user": "caller",
        "channel": "phone",
    },
    "wrong_number": {
        "step": "activity",
        "activity_type": TODO,
        "days_setting": "repeat_call_wrong_number_days",
        "user": "caller",
        "channel": "task",
    },
    "not_interested": {
        "step": "activity",
        "activity_type": CALL,
        "days_setting": "repeat_call_later_days",
        "user": "caller",
        "channel": "phone",
    },
    "call_back": {
        "step": "activity",
        "activity_type": CALL,
        "date_field": "callback_date",
        "user": "caller",
        "channel": "phone",
        "agreed": True,
    },
    "will_order": {
        "step": "activity",
        "activity_type": CALL,
        "date_field": "promised_date",
        "user": "caller",
        "channel": "phone",
        "agreed": True,
    },
    "complaint": {
        "step": "activity",
        "activity_type": TODO,
        "days_setting": "repeat_complaint_days",
        "user": "complaints",
        "channel": "task",
    },
    "competitor": {"step": "lost"},
    "do_not_call": {"step": "do_not_call"},
}


class RepeatSalesCallOutcome(models.AbstractModel):
    """What a call's outcome leads to: the next step NEXT_STEPS declares,
    carried out through the outreach, with the company's settings."""

    _name = "repeat.sales.call.outcome"
    _description = "Call Outcome Next Steps"

    @api.model
    def _apply(self, calls):
        """What logging ``calls`` does: count unanswered calls in a row, close
        the planned call each carries out (or note it on the customer), then
        carry out the next step NEXT_STEPS declares."""
        self._count_attempts(calls)
        Outreach = self.env["repeat.sales.outreach"]
        for call in calls:
            if call.activity_id:
                call_day = fields.Date.context_today(call, timestamp=call.call_date)
                call.activity_id.with_context(
                    repeat_contacted_on=call_day
                ).action_feedback(feedback=self._call_summary(call))
            else:
                Outreach._log_note(call.partner_id, self._call_summary(call))
        none = calls.browse()
        by_step = calls.grouped(lambda call: NEXT_STEPS[call.outcome]["step"])
        for company, lost in by_step.get("lost", none).grouped("company_id").items():
            Outreach._flag_lost(lost.partner_id, company)
        stop = by_step.get("do_not_call", none)
        if stop:
            # sudo: the customer's open plan may be another salesperson's.
            self.env["repeat.sales.followup"].sudo()._stop_plans(
                {(call.partner_id, call.company_id) for call in stop},
                Outreach._skip_label("do_not_call"),
            )
            Outreach._stop_calls(stop.partner_id)
        requests = [
            request
            for call in by_step.get("activity", none) | by_step.get("retry", none)
            if (request := self._request(call))
        ]
        return Outreach._reach(requests)

    @api.model
    def _request(self, call):
        """What the outreach is asked to do after ``call``, or None."""
        spec = NEXT_STEPS[call.outcome]
        company = call.company_id
        request = {
            "partner": call.partner_id,
            "company": company,
            "source": call,
            "channel": spec["channel"],
            "agreed": spec.get("agreed", False),
        }
        if spec["step"] == "retry" and call.attempt >= company.repeat_call_max_attempts:
            request.update(
                template=self.env.ref("repeat_sales.mail_template_unreachable"),
                channel="mail",
            )
            return request
        if "date_field" in spec:
            deadline = call[spec["date_field"]]
        else:
            days = company[spec["days_setting"]]
            if not days:
                return None
            deadline = fields.Date.context_today(self) + timedelta(days=days)
        request.update(
            activity_type=self.env.ref(spec["activity_type"]),
            deadline=deadline,
            summary=self._summary(call),
            user=self._user(call, spec["user"]),
            note=plaintext2html(call.complaint) if call.outcome == "complaint" else "",
        )
        return request

    @api.model
    def _user(self, call, who):
        if who == "caller":
            return call.user_id
        # A complaint: the company's complaints user, else the customer's sales
        # team leader, else the caller's (the salesperson's manager).
        Outreach = self.env["repeat.sales.outreach"]
        company = call.company_id
        return (
            company.repeat_complaint_user_id
            or Outreach._team_leader(call.partner_id.user_id, company)
            or Outreach._team_leader(call.user_id, company)
            or call.user_id
        )

    @api.model
    def _reschedule(self, calls):
        """A promised or call-back date moved: its open reminder moves too."""
        reminders = self.env["mail.activity"].search(
            [("repeat_call_id", "in", calls.ids)]
        )
        for activity in reminders:
            call = activity.repeat_call_id
            date_field = NEXT_STEPS[call.outcome].get("date_field")
            if date_field and activity.date_deadline != call[date_field]:
                activity.write(
                    {"date_deadline": call[date_field], "summary": self._summary(call)}
                )

    @api.model
    def _summary(self, call):
        company = call.company_id
        summaries = {
            "no_answer": lambda: _(
                "Call again (attempt %(next)s of %(max)s)",
                next=call.attempt + 1,
                max=company.repeat_call_max_attempts,
            ),
            "wrong_number": lambda: _(
                "Find the right phone number of %(customer)s",
                customer=call.partner_id.display_name,
            ),
            "not_interested": lambda: _("Call again: not interested last time"),
            "call_back": lambda: _("Call back as agreed"),
            "will_order": lambda: _(
                "The customer promised to order by %(date)s",
                date=format_date(self.env, call.promised_date),
            ),
            "complaint": lambda: _(
                "Complaint of %(customer)s", customer=call.partner_id.display_name
            ),
        }
        return summaries[call.outcome]()

    @api.model
    def _count_attempts(self, calls):
        """Unanswered calls in a row for the customer, this one included."""
        unanswered = calls.filtered(lambda call: call.outcome == "no_answer")
        if not unanswered:
            return
        history = calls.search(
            [
                ("partner_id", "in", unanswered.partner_id.ids),
                ("company_id", "in", unanswered.company_id.ids),
                ("id", "not in", unanswered.ids),
            ],
            order="call_date desc, id desc",
        )
        for call in unanswered.sorted(lambda call: (call.call_date, call.id)):
            previous = next(
                (
                    earlier
                    for earlier in history
                    if earlier.partner_id == call.partner_id
                    and earlier.company_id == call.company_id
                    and earlier.call_date <= call.call_date
                ),
                None,
            )
            call.attempt = (
                previous.attempt + 1
                if previous and previous.outcome == "no_answer"
                else 1
            )
            history = call | history

    @api.model
    def _call_summary(self, call):
        """What the call's chatter message says."""
        parts = [Markup("<b>%s</b>") % dict(OUTCOMES)[call.outcome]]
        if call.call_reason_id:
            parts.append(_("Reason for the call: %s", call.call_reason_id.name))
        if call.lost_reason_id:
            parts.append(_("Why they stopped buying: %s", call.lost_reason_id.name))
        if call.note:
            parts.append(call.note)
        return Markup("<br/>").join(parts)
