# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL

# The aliases of the subquery's own tables: unusual, so that a filter given as
# SQL by a caller (``company.id`` of an outer LATERAL) never names one of them.
ORDER = "facts_order"
BUYER = "facts_buyer"
SELLER = "facts_seller"
CURRENCY = "facts_currency"


def amount_sql(order="so", currency="currency"):
    """An order's untaxed amount in its company's currency (at the order's
    rate), rounded to that currency: every figure of the addon adds these.
    ``order`` is the alias of sale_order, ``currency`` of the company's
    res_currency."""
    return SQL(
        """ROUND(%(order)s.amount_untaxed
                 / COALESCE(NULLIF(%(order)s.currency_rate, 0), 1),
                 %(currency)s.decimal_places)""",
        order=SQL.identifier(order),
        currency=SQL.identifier(currency),
    )


def counted_sql(order="so"):
    """Whether the sale_order row ``order`` counts as a customer's order."""
    return SQL("%s.state = 'sale'", SQL.identifier(order))


def _matches(column, value):
    """``column`` equal to an SQL expression, or in a list of ids."""
    if isinstance(value, SQL):
        return SQL("%s = %s", column, value)
    return SQL("%s = ANY(%s)", column, list(value))


class RepeatSalesOrderFacts(models.AbstractModel):
    """The one definition of a customer's orders in a company.

    An order counts once confirmed (``state = 'sale'``); it counts for the
    commercial partner of its customer, in its company, on the UTC date of
    ``date_order``, for its untaxed amount in the company's currency at the
    order's rate, rounded order by order. Every part, report and scheduled
    action reads orders through this model: SQL through ``_orders_sql``,
    the ORM through ``_counted_domain`` and Python through ``_is_counted``.
    """

    _name = "repeat.sales.order.facts"
    _description = "Customer Orders That Count"

    @api.model
    def _counted_domain(self):
        """Domain on ``sale.order`` of the orders that count."""
        return [("state", "=", "sale")]

    @api.model
    def _is_counted(self, order):
        return order.state == "sale"

    @api.model
    def _counted(self, orders):
        """The orders of ``orders`` that count (saved ones only)."""
        return orders.filtered(lambda order: order.id and self._is_counted(order))

    @api.model
    def _amount(self, order):
        """The order's amount as the figures count it, in company currency."""
        return order.company_id.currency_id.round(
            order.amount_untaxed / (order.currency_rate or 1.0)
        )

    @api.model
    def _flush(self):
        """Write the pending ORM changes of everything ``_orders_sql`` reads."""
        self.env["sale.order"].flush_model(
            [
                "state",
                "partner_id",
                "company_id",
                "date_order",
                "amount_untaxed",
                "currency_rate",
                "user_id",
                "team_id",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(["currency_id"])

    @api.model
    def _orders_sql(
        self,
        partner_ids=None,
        company_ids=None,
        date_from=None,
        date_to=None,
        date_before=None,
        written_since=None,
        counted_only=True,
    ):
        """SELECT of the orders that count, one row per order, with columns:

        ``order_id``, ``partner_id`` (the commercial partner), ``buyer_id``
        (the order's own customer), ``company_id``, ``date_order``,
        ``order_date`` (its UTC date), ``amount`` (company currency),
        ``user_id``, ``team_id``, ``create_date``, ``write_date`` and
        ``counted``.

        Filters, each either a value or an ``SQL`` expression (of an outer
        query, through a LATERAL): ``partner_ids`` (commercial partners: a list
        is read through the partner and order indexes), ``company_ids``,
        ``date_from`` and ``date_to`` (inclusive), ``date_before``
        (exclusive), ``written_since`` (orders written at or after it).
        ``counted_only=False`` keeps every order, ``counted`` telling which
        count. Flushes what it reads.
        """
        self._flush()
        order, buyer = SQL.identifier(ORDER), SQL.identifier(BUYER)
        orders = SQL(
            "sale_order %s JOIN res_partner %s ON %s.id = %s.partner_id",
            order,
            buyer,
            buyer,
            order,
        )
        conditions = []
        if isinstance(partner_ids, SQL):
            conditions.append(SQL("%s.commercial_partner_id = %s", buyer, partner_ids))
        elif partner_ids is not None:
            # From the list to the orders through the indexes on
            # commercial_partner_id and partner_id (unnest lets PostgreSQL
            # know how many they are).
            orders = SQL(
                """unnest(%(ids)s::int[]) AS facts_scope(partner_id)
                   JOIN res_partner %(buyer)s
                     ON %(buyer)s.commercial_partner_id = facts_scope.partner_id
                   JOIN sale_order %(order)s ON %(order)s.partner_id = %(buyer)s.id""",
                ids=list(partner_ids),
                buyer=buyer,
                order=order,
            )
        if company_ids is not None:
            conditions.append(_matches(SQL("%s.company_id", order), company_ids))
        order_date = SQL("%s.date_order::date", order)
        if date_from is not None:
            conditions.append(SQL("%s >= %s", order_date, date_from))
        if date_to is not None:
            conditions.append(SQL("%s <= %s", order_date, date_to))
        if date_before is not None:
            conditions.append(SQL("%s < %s", order_date, date_before))
        if written_since is not None:
            conditions.append(SQL("%s.write_date >= %s", order, written_since))
        if counted_only:
            conditions.append(counted_sql(ORDER))
        where = SQL("WHERE %s", SQL(" AND ").join(conditions)) if conditions else SQL()
        # Left joins on unique keys: PostgreSQL drops them when the amount is
        # not read (every order has a company, every company a currency).
        return SQL(
            """
            SELECT %(order)s.id AS order_id,
                   COALESCE(%(buyer)s.commercial_partner_id, %(buyer)s.id)
                       AS partner_id,
                   %(order)s.partner_id AS buyer_id,
                   %(order)s.company_id,
                   %(order)s.date_order,
                   %(order_date)s AS order_date,
                   %(amount)s AS amount,
                   %(order)s.user_id,
                   %(order)s.team_id,
                   %(order)s.create_date,
                   %(order)s.write_date,
                   %(counted)s AS counted
              FROM %(orders)s
              LEFT JOIN res_company %(seller)s
                ON %(seller)s.id = %(order)s.company_id
              LEFT JOIN res_currency %(currency)s
                ON %(currency)s.id = %(seller)s.currency_id
             %(where)s
            """,
            order=order,
            buyer=buyer,
            order_date=order_date,
            amount=amount_sql(ORDER, CURRENCY),
            counted=counted_sql(ORDER),
            orders=orders,
            seller=SQL.identifier(SELLER),
            currency=SQL.identifier(CURRENCY),
            where=where,
        )
