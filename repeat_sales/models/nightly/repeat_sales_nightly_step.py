# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ... import compat

_logger = logging.getLogger(__name__)

# Each step's work: the part's model and its method. The method carries out
# one batch and returns how many items it left for the next call (None or 0
# when the step is finished). Every method is safe to call again after a
# crash: it only carries out what is still to do.
STEP_WORK = {
    "figures": ("repeat.sales.partner.stat", "_cron_daily_update"),
    "full_recompute": ("repeat.sales.partner.stat", "_cron_recompute_all"),
    "snapshot": ("repeat.sales.segment.snapshot", "_cron_take_snapshot"),
    "reports": ("repeat.sales.report.tables", "_cron_refresh"),
    "plan": ("repeat.sales.followup", "_cron_run_plan"),
    "greetings": ("repeat.sales.greeting", "_cron_send_greetings"),
    "mining": ("repeat.sales.offer.rule", "_cron_mine_rules"),
    "offers": ("repeat.sales.offer", "_cron_update_offers"),
    "stamps": ("repeat.sales.stamp.line", "_cron_daily"),
    "value": ("repeat.sales.value.fit", "_cron_fit_all"),
}


@compat.sql_constraints
class RepeatSalesNightlyStep(models.Model):
    """One step of the nightly chain, in the order the parts depend on.

    The chain is one scheduled action. Each call of it runs one batch of the
    first step not yet done for the day, then lets Odoo's cron runner commit
    and call again: a kill between or inside steps resumes where it stopped,
    and Odoo's lock on the scheduled action keeps a second cron server out.
    """

    _name = "repeat.sales.nightly.step"
    _description = "Nightly Work Step"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    key = fields.Selection(
        [
            ("figures", "Customer figures and segments"),
            ("full_recompute", "Recompute every customer"),
            ("snapshot", "Segment history"),
            ("reports", "Report tables"),
            ("plan", "Follow-up plan"),
            ("greetings", "Greetings"),
            ("mining", "Offer rule mining"),
            ("offers", "Customer offers"),
            ("stamps", "Stamp expiry and loyalty tiers"),
            ("value", "Customer value model"),
        ],
        required=True,
        readonly=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    interval_days = fields.Integer(
        string="Every (days)",
        default=1,
        help="1 runs the step every night, 7 once a week.",
    )
    last_run_date = fields.Date(
        string="Last complete run", readonly=True, help="The day whose run finished."
    )
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    batches = fields.Integer(readonly=True, help="Batches of the last run.")

    _sql_constraints = [
        ("key_unique", "UNIQUE(key)", "Each step appears once in the chain."),
    ]

    @api.constrains("interval_days")
    def _check_interval_days(self):
        if any(not 1 <= step.interval_days <= 366 for step in self):
            raise ValidationError(self.env._("A step runs every 1 to 366 days."))

    def _is_due(self, today):
        self.ensure_one()
        return not self.last_run_date or (
            self.last_run_date + timedelta(days=self.interval_days) <= today
        )

    @api.model
    def _cron_run_chain(self):
        """One batch of the first due step; the cron runner calls again."""
        today = fields.Date.context_today(self)
        due = self.search([]).filtered(lambda step: step._is_due(today))
        if not due:
            return 0
        step = due[0]
        remaining = step._run_batch(today)
        steps_left = len(due) - (0 if remaining else 1)
        compat.cron_progress(self.env, done=1, remaining=(remaining or 0) + steps_left)
        return steps_left

    def _run_batch(self, today):
        self.ensure_one()
        if not self.started_at or (
            self.finished_at and self.finished_at >= self.started_at
        ):
            self.write({"started_at": fields.Datetime.now(), "batches": 0})
        model, method = STEP_WORK[self.key]
        clock = time.monotonic()
        remaining = getattr(self.env[model], method)() or 0
        elapsed = time.monotonic() - clock
        values = {"batches": self.batches + 1, "duration": self.duration + elapsed}
        if self.batches == 0:
            values["duration"] = elapsed
        if not remaining:
            values.update(last_run_date=today, finished_at=fields.Datetime.now())
        self.write(values)
        _logger.info(
            "repeat_sales: nightly step %s: batch of %.1f s, %s left",
            self.key,
            elapsed,
            remaining,
        )
        return remaining

    @api.model
    def _run_chain_to_end(self):
        """Everything due today in one go (install, tests, *Run now*)."""
        while self._cron_run_chain():
            pass

    @api.model
    def action_run_due_steps(self):
        """*Run now*: the steps due today, to the end, as the night would."""
        today = fields.Date.context_today(self)
        due = self.search([]).filtered(lambda step: step._is_due(today))
        self._run_chain_to_end()
        message = (
            self.env._("Ran: %s.", ", ".join(due.mapped("name")))
            if due
            else self.env._("Every step has run today already.")
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Nightly work"),
                "message": message,
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
