# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models

from ... import compat
from .greeting_queue import queue_greetings_sql

_logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


@compat.sql_constraints
class RepeatSalesGreeting(models.Model):
    """A greeting of one customer for one occasion of one year.

    The row is the greeting's only trace: the key (customer, company,
    occasion, year) is unique, so a customer is greeted once per occasion and
    year, whatever reruns. Rows are queued pending by one statement and carried
    out in batches through the outreach, which applies the customer's opt-outs.
    """

    _name = "repeat.sales.greeting"
    _description = "Customer Greeting"
    _check_company_auto = True
    _order = "occasion_date desc, id desc"
    _rec_name = "occasion_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, ondelete="cascade"
    )
    occasion_id = fields.Many2one(
        "repeat.sales.occasion",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    kind = fields.Selection(related="occasion_id.kind")
    occasion_date = fields.Date(
        string="Day", required=True, readonly=True, help="The day greeted."
    )
    year = fields.Integer(required=True, readonly=True, aggregator=False)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    state = fields.Selection(
        [("pending", "To Send"), ("sent", "Sent"), ("skipped", "Skipped")],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    skip_reason = fields.Char(readonly=True)
    message_id = fields.Many2one("mail.message", string="E-mail", readonly=True)

    _sql_constraints = [
        (
            "customer_occasion_year_uniq",
            "unique(partner_id, company_id, occasion_id, year)",
            "A customer is greeted once per occasion and year.",
        ),
    ]

    @api.model
    def _queue_greetings(self, today):
        """Insert a pending greeting for every occasion of the last days."""
        self.env["repeat.sales.occasion"].flush_model()
        self.env["res.partner"].flush_model(["active", "company_id", "birthday"])
        self.env.cr.execute(
            queue_greetings_sql(
                customers=self.env["repeat.sales.partner.stat"]._customer_history_sql(),
                today=today,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

    @api.model
    def _cron_send_greetings(self):
        """One batch of the day's greetings; the nightly chain calls again while
        some remain. A run stopped half way leaves pending rows only, which the
        next call sends: nothing twice."""
        remaining = self._send_greetings_batch(fields.Date.context_today(self))
        _logger.info("repeat_sales: %s greetings remain", remaining)
        return remaining

    @api.model
    def _send_greetings_batch(self, today):
        """Queue the day's greetings (when none is pending), send one batch."""
        if not self.search_count([("state", "=", "pending")], limit=1):
            self._queue_greetings(today)
        batch = self.search([("state", "=", "pending")], limit=BATCH_SIZE, order="id")
        batch._send()
        remaining = self.search_count([("state", "=", "pending")])
        compat.cron_progress(self.env, done=len(batch), remaining=remaining)
        return remaining

    def _send(self):
        """Send the pending greetings through the outreach, in the customer's
        language (the templates render in ``object.lang``)."""
        pending = self.filtered(lambda greeting: greeting.state == "pending")
        Outreach = self.env["repeat.sales.outreach"]
        requests = [
            {
                "partner": greeting.partner_id,
                "company": greeting.company_id,
                "source": greeting,
                "template": greeting.occasion_id.mail_template_id,
            }
            for greeting in pending
        ]
        results = dict(zip(pending, Outreach._reach(requests, False), strict=True))
        skipped = pending.filtered(lambda greeting: "skipped" in results[greeting])
        for code, greetings in skipped.grouped(
            lambda greeting: results[greeting]["skipped"]
        ).items():
            greetings.write(
                {"state": "skipped", "skip_reason": Outreach._skip_label(code)}
            )
        for greeting in pending - skipped:
            # One message each: the e-mail sent is kept on its greeting.
            greeting.write(
                {"state": "sent", "message_id": results[greeting]["message"].id}
            )
