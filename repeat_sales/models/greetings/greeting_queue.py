# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The greetings' queue: one INSERT of every greeting due over the last days
(see ``repeat.sales.greeting._queue_greetings``).

The customers greeted are found through the day of the year of their
occasion, by index: ``res_partner`` and the engine's figures each have an
index on ``day_key`` of their date (``BIRTHDAY_KEY_INDEX``,
``FIRST_ORDER_KEY_INDEX``), so a night reads the few customers whose day
falls in the window, not every customer.
"""

from odoo.tools import SQL

# A greeting is still sent this many days late when the nightly chain did not
# run on the day; later, it is let go.
CATCH_UP_DAYS = 2

# The indexes on the day of the year of the customers' dates.
BIRTHDAY_KEY_INDEX = "res_partner_birthday_day_key_idx"
FIRST_ORDER_KEY_INDEX = "repeat_sales_partner_stat_first_order_day_key_idx"


def day_key(date):
    """The day of the year of ``date`` as month * 100 + day (0229 for 29 Feb).

    The same expression in the indexes and in the queue: PostgreSQL uses an
    expression index only for the very expression it holds.
    """
    return SQL(
        "((EXTRACT(month FROM %(date)s) * 100 + EXTRACT(day FROM %(date)s))::integer)",
        date=date,
    )


def day_key_index_expression(column):
    """``day_key`` of the bare ``column``, as ``create_index`` takes it."""
    return day_key(SQL.identifier(column)).code


def queue_greetings_sql(customers, today, uid, now):
    """``customers``: the figures rows with the customers' first order date.

    Each day of the window gives its day key; a 28 February of a year without a
    29th also gives the key of 29 February (a customer born on the 29th is
    greeted on the 28th). A customer is greeted for an occasion of their
    company when the occasion's day (their birthday, their first order date of
    an earlier year, the company's date) has the key of a day of the window;
    once per customer, company, occasion and year of the day greeted.

    Each kind of occasion finds its customers its own way: birthdays through
    the birthday's index on ``res_partner``, anniversaries through the first
    order's index on the figures, a company date gives every customer of the
    company (on its day only). The contacts born and the customers first
    ordering on those days are read first, on their own (``MATERIALIZED``):
    the planner, which cannot know how many keys the window gives, would
    otherwise walk every customer of the company and test each birthday; the
    figures of the contacts born are read through their key (``= ANY``) for
    the same reason.
    """
    keys = SQL("ANY(ARRAY(SELECT key FROM days))")
    return SQL(
        """
        WITH greeted_days AS (
            SELECT series.day::date AS day
              FROM generate_series(%(today)s::date - %(catch_up)s, %(today)s::date,
                                   interval '1 day') AS series(day)
        ),
        days AS (
            SELECT day, %(day_key)s AS key FROM greeted_days
            UNION ALL
            SELECT day, 229 FROM greeted_days
             WHERE EXTRACT(month FROM day) = 2 AND EXTRACT(day FROM day) = 28
               AND EXTRACT(day FROM day + 1) = 1
        ),
        born AS MATERIALIZED (
            SELECT partner.id AS partner_id, partner.birthday
              FROM res_partner partner
             WHERE partner.birthday IS NOT NULL
               AND %(birthday_key)s = %(keys)s
        ),
        first_ordered AS MATERIALIZED (
            SELECT customer.partner_id, customer.company_id,
                   customer.first_order_date
              FROM %(customers)s customer
             WHERE customer.first_order_date IS NOT NULL
               AND %(first_order_key)s = %(keys)s
        ),
        anchors AS (
            SELECT customer.partner_id, customer.company_id,
                   occasion.id AS occasion_id, born.birthday AS anchor,
                   FALSE AS earlier_year_only
              FROM born
              JOIN %(customers)s customer ON customer.partner_id = born.partner_id
              JOIN repeat_sales_occasion occasion
                ON occasion.company_id = customer.company_id
             WHERE occasion.kind = 'birthday' AND occasion.active
               AND customer.partner_id = ANY(ARRAY(SELECT partner_id FROM born))
            UNION ALL
            SELECT customer.partner_id, customer.company_id,
                   occasion.id, customer.first_order_date, TRUE
              FROM first_ordered customer
              JOIN repeat_sales_occasion occasion
                ON occasion.company_id = customer.company_id
             WHERE occasion.kind = 'first_order' AND occasion.active
            UNION ALL
            SELECT customer.partner_id, customer.company_id,
                   occasion.id, occasion.date, FALSE
              FROM repeat_sales_occasion occasion
              JOIN %(customers)s customer
                ON customer.company_id = occasion.company_id
             WHERE occasion.kind = 'date' AND occasion.active
               AND %(occasion_key)s = %(keys)s
        )
        INSERT INTO repeat_sales_greeting
               (partner_id, company_id, occasion_id, occasion_date, year, state,
                create_uid, create_date, write_uid, write_date)
        SELECT anchor.partner_id, anchor.company_id, anchor.occasion_id, days.day,
               EXTRACT(year FROM days.day)::integer, 'pending',
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM anchors anchor
          JOIN res_partner partner ON partner.id = anchor.partner_id
          JOIN days ON days.key = %(anchor_key)s
         WHERE partner.active
           AND (partner.company_id IS NULL
                OR partner.company_id = anchor.company_id)
           AND (NOT anchor.earlier_year_only OR anchor.anchor < days.day)
        ON CONFLICT (partner_id, company_id, occasion_id, year) DO NOTHING
        """,
        today=today,
        catch_up=CATCH_UP_DAYS,
        day_key=day_key(SQL("day")),
        customers=customers,
        keys=keys,
        birthday_key=day_key(SQL("partner.birthday")),
        first_order_key=day_key(SQL("customer.first_order_date")),
        occasion_key=day_key(SQL("occasion.date")),
        anchor_key=day_key(SQL("anchor.anchor")),
        uid=uid,
        now=now,
    )
