# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

SOURCES = [("step", "Follow-up Step"), ("campaign", "Campaign"), ("call", "Call")]


class RepeatSalesCouponReport(models.Model):
    """Personal coupons given, used and expired, and the revenue of the
    orders that used them: one row per coupon the addon gave.

    A coupon is used when an order that counts (the order facts) took its
    reward; expired when unused past its expiry date. The revenue is the
    untaxed amount of those orders, as every figure of the addon counts it.
    """

    _name = "repeat.sales.coupon.report"
    _inherit = ["repeat.sales.report.mixin"]
    _description = "Personal Coupon Analysis"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "loyalty.card": [
            "repeat_issue_date",
            "repeat_company_id",
            "repeat_user_id",
            "partner_id",
            "program_id",
            "expiration_date",
            "repeat_followup_id",
            "repeat_campaign_member_id",
            "repeat_call_id",
        ],
        "sale.order.line": ["coupon_id", "order_id"],
        "repeat.sales.followup": ["step_id"],
        "repeat.sales.campaign.member": ["campaign_id"],
    }

    date = fields.Date(string="Given On", readonly=True)
    expiration_date = fields.Date(string="Valid Until", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True)
    program_id = fields.Many2one("loyalty.program", readonly=True)
    source = fields.Selection(SOURCES, string="Given by", readonly=True)
    step_id = fields.Many2one(
        "repeat.sales.followup.step", string="Follow-up Step", readonly=True
    )
    campaign_id = fields.Many2one("repeat.sales.campaign", readonly=True)
    call_id = fields.Many2one("repeat.sales.call", readonly=True)
    sent = fields.Integer(string="Coupons Given", readonly=True)
    used = fields.Integer(string="Coupons Used", readonly=True)
    expired = fields.Integer(string="Coupons Expired", readonly=True)
    valid = fields.Integer(string="Coupons Still Valid", readonly=True)
    order_count = fields.Integer(string="Orders with a Coupon", readonly=True)
    revenue = fields.Monetary(
        string="Revenue of Orders with a Coupon",
        readonly=True,
        help="Untaxed amount, in company currency, of the confirmed orders that "
        "used the coupon.",
    )
    use_rate = fields.Float(
        string="Used (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _repeat_ratio_sql(self, fname, query):
        # Several coupons together: the share of all those given that were used.
        if fname == "use_rate":
            return (
                SQL("100.0 * %s", self._field_to_sql(self._table, "used", query)),
                self._field_to_sql(self._table, "sent", query),
            )
        return ()

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT card.id, card.id AS card_id, card.repeat_issue_date AS date,
                   card.expiration_date, card.repeat_company_id AS company_id,
                   card.partner_id, card.repeat_user_id AS user_id,
                   card.program_id, followup.step_id, member.campaign_id,
                   card.repeat_call_id AS call_id,
                   CASE WHEN card.repeat_followup_id IS NOT NULL THEN 'step'
                        WHEN card.repeat_campaign_member_id IS NOT NULL
                        THEN 'campaign'
                        WHEN card.repeat_call_id IS NOT NULL THEN 'call'
                   END AS source,
                   1 AS sent,
                   (used.orders > 0)::int AS used,
                   (used.orders = 0 AND card.expiration_date < %(today)s)::int
                       AS expired,
                   (used.orders = 0 AND (card.expiration_date IS NULL
                        OR card.expiration_date >= %(today)s))::int AS valid,
                   used.orders AS order_count,
                   used.revenue,
                   100.0 * (used.orders > 0)::int AS use_rate
              FROM loyalty_card card
              LEFT JOIN repeat_sales_followup followup
                ON followup.id = card.repeat_followup_id
              LEFT JOIN repeat_sales_campaign_member member
                ON member.id = card.repeat_campaign_member_id
              CROSS JOIN LATERAL (
                  SELECT COUNT(*) AS orders, COALESCE(SUM(facts.amount), 0) AS revenue
                    FROM (%(orders)s) facts
                   WHERE facts.order_id IN (
                             SELECT line.order_id FROM sale_order_line line
                              WHERE line.coupon_id = card.id)
              ) used
             WHERE card.repeat_issue_date IS NOT NULL
            """,
            today=today,
            orders=self.env["repeat.sales.order.facts"]._orders_sql(
                company_ids=SQL("card.repeat_company_id")
            ),
        )
