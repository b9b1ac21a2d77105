# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One file per part reacting to orders: the split is the design.
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.tools import SQL


class SaleOrder(models.Model):
    """A confirmed order ends its customer's open follow-up plan."""

    _inherit = "sale.order"

    def _repeat_confirmation_checks(self):
        # An open plan: a follow-up to do or with an activity, or the
        # customer flagged as lost in the order's company.
        self.env["res.partner"].flush_model(["repeat_lost_date"])
        self.env["repeat.sales.followup"].flush_model(
            ["partner_id", "company_id", "state"]
        )
        self.env["mail.activity"].flush_model(["repeat_followup_id"])
        return {
            **super()._repeat_confirmation_checks(),
            "plans": SQL(
                """EXISTS (
                       SELECT FROM res_partner partner, unnest(scope.company_ids)
                                   AS company(id)
                        WHERE partner.id = ANY(scope.partner_ids)
                          AND partner.repeat_lost_date ->> company.id::text
                              IS NOT NULL)
                   OR EXISTS (
                       SELECT FROM repeat_sales_followup followup
                        WHERE followup.partner_id = ANY(scope.partner_ids)
                          AND followup.company_id = ANY(scope.company_ids)
                          AND (followup.state = 'pending' OR EXISTS (
                              SELECT FROM mail_activity activity
                               WHERE activity.repeat_followup_id = followup.id)))"""
            ),
        }

    def _repeat_on_confirmed(self, work):
        result = super()._repeat_on_confirmed(work)
        if work.get("plans"):
            # sudo: the customer's open follow-ups may belong to other
            # salespeople; the order ends them whoever confirms it.
            self.env["repeat.sales.followup"].sudo()._end_plans(self)
        return result
