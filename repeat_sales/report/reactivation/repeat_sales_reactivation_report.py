# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ...models.engine.repeat_sales_partner_stat import CUSTOMER_SEGMENTS

# An order placed this many days after a contact counts as its result.
ORDER_WINDOW_DAYS = 30
CHANNELS = [
    ("email", "E-mail"),
    ("call", "Phone Call"),
    ("activity", "Other Activity"),
]


class RepeatSalesReactivationReport(models.Model):
    """Reactivation funnel: touches aimed at customers, contacts, orders won.

    One row per touch: a follow-up step for a customer without a new order, or
    a reactivation call. A touch is *contacted* when the e-mail was sent, the
    salesperson marked the activity done, or the call reached someone; it
    *ordered* when the customer confirmed an order within 30 days of the
    contact, and brings that revenue. A follow-up activity logged as a call is
    counted once, as the call.
    """

    _name = "repeat.sales.reactivation.report"
    _description = "Reactivation Funnel"
    _auto = False
    _order = "date desc"
    _rec_name = "partner_id"
    _depends = {
        "repeat.sales.followup": [
            "partner_id",
            "company_id",
            "step_id",
            "state",
            "due_date",
            "done_date",
            "user_id",
        ],
        "repeat.sales.followup.step": ["trigger", "action", "is_call"],
        "repeat.sales.call": [
            "partner_id",
            "company_id",
            "user_id",
            "call_date",
            "reached",
            "followup_id",
            "active",
        ],
        "sale.order": ["state", "partner_id", "company_id", "date_order"],
        "res.users": ["sale_team_id"],
    }

    date = fields.Date(readonly=True)
    contact_date = fields.Date(string="Contacted On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    segment = fields.Selection(
        CUSTOMER_SEGMENTS,
        string="Segment When Targeted",
        readonly=True,
        help="The customer's segment on the day of the touch, from their orders.",
    )
    targeted = fields.Integer(readonly=True, aggregator="sum")
    contacted = fields.Integer(readonly=True, aggregator="sum")
    ordered = fields.Integer(
        string="Ordered within 30 Days", readonly=True, aggregator="sum"
    )
    revenue = fields.Monetary(
        readonly=True,
        help="Untaxed revenue of the orders confirmed within 30 days of the contact, "
        "in company currency.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return self._touches_sql()

    @api.model
    def _touches_sql(self):
        """Every touch with its segment, contact and result (a SELECT)."""
        facts = self.env["repeat.sales.order.facts"]
        return SQL(
            """
            WITH touches AS (
                SELECT followup.id * 2 AS id, followup.company_id,
                       COALESCE(followup.user_id, customer.user_id) AS user_id,
                       followup.partner_id,
                       CASE WHEN step.action = 'email' THEN 'email'
                            WHEN step.is_call THEN 'call'
                            ELSE 'activity' END AS channel,
                       followup.due_date AS date,
                       CASE WHEN followup.state = 'done'
                            THEN followup.done_date END AS contact_date
                  FROM repeat_sales_followup followup
                  JOIN repeat_sales_followup_step step ON step.id = followup.step_id
                  JOIN res_partner customer ON customer.id = followup.partner_id
                 WHERE step.trigger = 'no_order'
                   AND step.action IN ('email', 'activity')
                   AND followup.state IN ('pending', 'done', 'skipped')
                   AND NOT EXISTS (
                           SELECT 1 FROM repeat_sales_call logged
                            WHERE logged.followup_id = followup.id AND logged.active)
             UNION ALL
                SELECT call.id * 2 + 1, call.company_id, call.user_id, call.partner_id,
                       'call', call.call_date::date,
                       CASE WHEN call.reached THEN call.call_date::date END
                  FROM repeat_sales_call call
                 WHERE call.active
            )
            SELECT touches.id, touches.date, touches.contact_date, touches.company_id,
                   touches.user_id, salesperson.sale_team_id AS team_id,
                   touches.partner_id, touches.channel,
                   CASE WHEN history.last_order IS NULL THEN 'never'
                        ELSE %(segment)s END AS segment,
                   1 AS targeted,
                   (touches.contact_date IS NOT NULL)::integer AS contacted,
                   (result.revenue IS NOT NULL)::integer AS ordered,
                   COALESCE(result.revenue, 0) AS revenue
              FROM touches
              JOIN res_company company ON company.id = touches.company_id
              LEFT JOIN res_users salesperson ON salesperson.id = touches.user_id
              LEFT JOIN LATERAL (
                   SELECT MAX(facts.order_date) AS last_order FROM (%(before)s) facts
              ) history ON TRUE
              LEFT JOIN LATERAL (
                   SELECT SUM(facts.amount) AS revenue FROM (%(after)s) facts
              ) result ON TRUE
            """,
            segment=self.env["repeat.sales.partner.stat"]._segment_sql(
                SQL("touches.date"), SQL("history.last_order"), SQL("company")
            ),
            before=facts._orders_sql(
                partner_ids=SQL("touches.partner_id"),
                company_ids=SQL("touches.company_id"),
                date_before=SQL("touches.date"),
            ),
            after=facts._orders_sql(
                partner_ids=SQL("touches.partner_id"),
                company_ids=SQL("touches.company_id"),
                date_from=SQL("touches.contact_date"),
                date_to=SQL("touches.contact_date + %s", ORDER_WINDOW_DAYS),
            ),
        )
