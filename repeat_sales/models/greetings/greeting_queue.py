# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The greetings' queue: one INSERT of every greeting due over the last days
(see ``repeat.sales.greeting._queue_greetings``)."""

from odoo.tools import SQL

# A greeting is still sent this many days late when the nightly chain did not
# run on the day; later, it is let go.
CATCH_UP_DAYS = 2


def _day_key(date):
    """The day of the year of ``date`` as month * 100 + day (0229 for 29 Feb)."""
    return SQL(
        "(EXTRACT(month FROM %(date)s) * 100 + EXTRACT(day FROM %(date)s))::integer",
        date=date,
    )


def queue_greetings_sql(customers, today, uid, now):
    """``customers``: the figures rows with the customers' first order date.

    Each day of the window gives its day key; a 28 February of a year without a
    29th also gives the key of 29 February (a customer born on the 29th is
    greeted on the 28th). A customer is greeted for an occasion of their
    company when the occasion's day (their birthday, their first order date of
    an earlier year, the company's date) has the key of a day of the window;
    once per customer, company, occasion and year of the day greeted.
    """
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
        anchors AS (
            SELECT customer.partner_id, customer.company_id,
                   occasion.id AS occasion_id, occasion.kind,
                   CASE occasion.kind
                       WHEN 'birthday' THEN partner.birthday
                       WHEN 'first_order' THEN customer.first_order_date
                       ELSE occasion.date
                   END AS anchor
              FROM %(customers)s customer
              JOIN repeat_sales_occasion occasion
                ON occasion.company_id = customer.company_id AND occasion.active
              JOIN res_partner partner ON partner.id = customer.partner_id
             WHERE partner.active
               AND (partner.company_id IS NULL
                    OR partner.company_id = customer.company_id)
        )
        INSERT INTO repeat_sales_greeting
               (partner_id, company_id, occasion_id, occasion_date, year, state,
                create_uid, create_date, write_uid, write_date)
        SELECT anchor.partner_id, anchor.company_id, anchor.occasion_id, days.day,
               EXTRACT(year FROM days.day)::integer, 'pending',
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM anchors anchor
          JOIN days ON days.key = %(anchor_key)s
         WHERE anchor.kind != 'first_order' OR anchor.anchor < days.day
        ON CONFLICT (partner_id, company_id, occasion_id, year) DO NOTHING
        """,
        today=today,
        catch_up=CATCH_UP_DAYS,
        day_key=_day_key(SQL("day")),
        customers=customers,
        anchor_key=_day_key(SQL("anchor.anchor")),
        uid=uid,
        now=now,
    )
