# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.tools import SQL, float_round

# What a plan or a competition can be measured on.
MEASURES = [
    ("orders", "Orders"),
    ("revenue", "Sales Volume"),
    ("repeat_orders", "Repeat Orders"),
    ("repeat_revenue", "Repeat Revenue"),
    ("reactivated", "Reactivated Customers"),
]
# Every figure of a salesperson's period, measures first.
FIGURES = tuple(key for key, _label in MEASURES) + ("complaints", "customers_lost")


def whole_units(amount):
    """An amount rounded half-up to whole currency units, as the article does
    (210 × 0.91 = 191.1 → 191; 1,118 × 70% = 782.6 → 783)."""
    return float_round(amount, precision_digits=0)


class RepeatSalesBonusFigures(models.AbstractModel):
    """A salesperson's figures over a period, from what the addon already holds.

    Every figure has its owner elsewhere; this model only reads them:

    - orders and sales volume: the orders that count
      (``repeat.sales.order.facts``), of the order's salesperson;
    - repeat orders (not the customer's first), repeat revenue and reactivated
      customers (the order before was older than the warm threshold): the
      salesperson KPIs (``repeat.sales.salesperson.report``);
    - complaints: calls whose outcome is a complaint, counted for the
      customer's salesperson (the caller when the customer has none);
    - customers lost: the salesperson's customers who turned sleeping
      (``repeat.sales.segment.move`` into sleeping).
    """

    _name = "repeat.sales.bonus.figures"
    _description = "Salesperson Figures of a Period"

    @api.model
    def _figures(self, company, date_from, date_to, users):
        """{user id: {figure: value}} of ``users`` in ``company`` from
        ``date_from`` to ``date_to`` (inclusive), read with the caller's
        rights (a manager's, who sees every salesperson)."""
        figures = {user.id: dict.fromkeys(FIGURES, 0) for user in users}
        if not users:
            return figures
        self._add_orders(figures, company, date_from, date_to)
        self._add_repeat_orders(figures, company, date_from, date_to)
        self._add_complaints(figures, company, date_from, date_to)
        self._add_customers_lost(figures, company, date_from, date_to)
        return figures

    @api.model
    def _add_orders(self, figures, company, date_from, date_to):
        facts = self.env["repeat.sales.order.facts"]._orders_sql(
            company_ids=company.ids, date_from=date_from, date_to=date_to
        )
        self.env.cr.execute(
            SQL(
                """SELECT facts.user_id, COUNT(*), COALESCE(SUM(facts.amount), 0)
                     FROM (%s) facts
                    WHERE facts.user_id = ANY(%s)
                    GROUP BY facts.user_id""",
                facts,
                list(figures),
            )
        )
        for user_id, orders, revenue in self.env.cr.fetchall():
            figures[user_id].update(orders=orders, revenue=float(revenue))

    @api.model
    def _add_repeat_orders(self, figures, company, date_from, date_to):
        # The salesperson KPIs' own rows, ranked from the orders as they are
        # now (the report shows them as of the last night).
        self.env.cr.execute(
            SQL(
                """SELECT events.user_id, SUM(events.repeat_orders),
                          SUM(events.repeat_revenue), SUM(events.reactivations)
                     FROM (%s) events
                    WHERE events.company_id = %s
                      AND events.user_id = ANY(%s)
                      AND events.date BETWEEN %s AND %s
                 GROUP BY events.user_id""",
                self.env["repeat.sales.salesperson.report"]._events_sql(live=True),
                company.id,
                list(figures),
                date_from,
                date_to,
            )
        )
        for (
            user_id,
            repeat_orders,
            repeat_revenue,
            reactivated,
        ) in self.env.cr.fetchall():
            figures[user_id].update(
                repeat_orders=repeat_orders or 0,
                repeat_revenue=float(repeat_revenue or 0.0),
                reactivated=reactivated or 0,
            )

    @api.model
    def _add_complaints(self, figures, company, date_from, date_to):
        self.env["repeat.sales.call"].flush_model(
            ["partner_id", "user_id", "company_id", "call_date", "outcome", "active"]
        )
        self.env["res.partner"].flush_model(["user_id"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(customer.user_id, call.user_id), COUNT(*)
                     FROM repeat_sales_call call
                     JOIN res_partner customer ON customer.id = call.partner_id
                    WHERE call.active
                      AND call.outcome = 'complaint'
                      AND call.company_id = %(company)s
                      AND call.call_date >= %(start)s
                      AND call.call_date < %(end)s
                      AND COALESCE(customer.user_id, call.user_id) = ANY(%(users)s)
                    GROUP BY 1""",
                company=company.id,
                start=datetime.combine(date_from, time.min),
                end=datetime.combine(date_to + timedelta(days=1), time.min),
                users=list(figures),
            )
        )
        for user_id, complaints in self.env.cr.fetchall():
            figures[user_id]["complaints"] = complaints

    @api.model
    def _add_customers_lost(self, figures, company, date_from, date_to):
        groups = self.env["repeat.sales.segment.move"]._read_group(
            [
                ("company_id", "=", company.id),
                ("user_id", "in", list(figures)),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("from_segment", "!=", "sleeping"),
                ("to_segment", "=", "sleeping"),
            ],
            ["user_id"],
            ["customer_count:sum"],
        )
        for user, lost in groups:
            figures[user.id]["customers_lost"] = lost or 0
