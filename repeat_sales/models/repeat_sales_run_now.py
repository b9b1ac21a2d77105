# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class RepeatSalesRunNow(models.AbstractModel):
    """Run a scheduled job of the addon at once and tell the manager what changed.

    Each action calls the same method as its scheduled action, so "Run now"
    and the nightly run can never differ; the figures come from counts taken
    before and after.
    """

    _name = "repeat.sales.run.now"
    _description = "Repeat Sales: Run Now"

    def _check_manager(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only sales managers can run the scheduled jobs.")
            )

    def _notification(self, title, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def action_mine_offers(self):
        """Mine the offer rules, then expire and propose the customer offers."""
        self._check_manager()
        Rule = self.env["repeat.sales.offer.rule"].with_context(active_test=False)
        Offer = self.env["repeat.sales.offer"]
        mined = [("kind", "!=", "manual")]
        rules_before = Rule.search_count(mined)
        offers_before = Offer.search_count([])
        Rule._cron_mine_rules()
        Offer._cron_update_offers()
        rules = Rule.search_count(mined + [("active", "=", True)])
        new_rules = Rule.search_count(mined) - rules_before
        offers = Offer.search_count([]) - offers_before
        return self._notification(
            self.env._("Offer rules mined"),
            self.env._(
                "%(rules)s rules found (%(new_rules)s new), %(offers)s offers created.",
                rules=rules,
                new_rules=max(new_rules, 0),
                offers=offers,
            ),
        )

    @api.model
    def action_run_plan(self):
        """Carry out every follow-up step due today."""
        self._check_manager()
        Followup = self.env["repeat.sales.followup"]
        Activity = self.env["mail.activity"]
        done_before = Followup.search_count([("state", "=", "done")])
        skipped_before = Followup.search_count([("state", "=", "skipped")])
        activities_before = Activity.search_count([("repeat_followup_id", "!=", False)])
        while True:
            Followup._cron_run_plan()
            if not Followup.search_count([("state", "=", "pending")], limit=1):
                break
        activities = (
            Activity.search_count([("repeat_followup_id", "!=", False)])
            - activities_before
        )
        done = Followup.search_count([("state", "=", "done")]) - done_before
        skipped = Followup.search_count([("state", "=", "skipped")]) - skipped_before
        return self._notification(
            self.env._("Follow-up plan run"),
            self.env._(
                "%(done)s follow-ups carried out, %(activities)s activities planned, "
                "%(skipped)s skipped.",
                done=done,
                activities=activities,
                skipped=skipped,
            ),
        )

    @api.model
    def action_send_greetings(self):
        """Send today's greetings (birthdays, first-order anniversaries, dates)."""
        self._check_manager()
        Greeting = self.env["repeat.sales.greeting"]
        sent_before = Greeting.search_count([("state", "=", "sent")])
        skipped_before = Greeting.search_count([("state", "=", "skipped")])
        while Greeting._cron_send_greetings():
            pass
        return self._notification(
            self.env._("Greetings sent"),
            self.env._(
                "%(sent)s greetings sent, %(skipped)s skipped.",
                sent=Greeting.search_count([("state", "=", "sent")]) - sent_before,
                skipped=Greeting.search_count([("state", "=", "skipped")])
                - skipped_before,
            ),
        )

    @api.model
    def action_update_figures(self):
        """Recompute every customer's figures and take today's segment snapshot."""
        self._check_manager()
        Snapshot = self.env["repeat.sales.segment.snapshot"]
        today = fields.Date.context_today(self)
        snapshot_before = Snapshot.search_count([("date", "=", today)])
        customers = self.env["repeat.sales.partner.stat"]._recompute_all()
        Snapshot._cron_take_snapshot()
        snapshot_taken = Snapshot.search_count([("date", "=", today)]) > snapshot_before
        if snapshot_taken:
            message = self.env._(
                "%(customers)s customers updated; today's segment snapshot taken.",
                customers=customers,
            )
        else:
            message = self.env._(
                "%(customers)s customers updated; today's segment snapshot was "
                "taken already.",
                customers=customers,
            )
        return self._notification(self.env._("Customer figures updated"), message)
