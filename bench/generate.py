#!/usr/bin/env python3
"""Fill a database that has sale_management installed with customers and orders.

    generate.py DB --customers N --orders M [--companies 3] [--seed 1]

N commercial customers (companies with 0-3 contacts each, and individuals) spread
over several companies, and M confirmed sale orders over the last ~3 years with a
power-law number of orders per customer (most customers order once or twice, a
few hundreds of times). Everything but the companies and salespeople is written
in set-based SQL (INSERT ... SELECT generate_series), in one transaction; the
repeat_sales addon need not be installed (if it is, its figures are not updated:
the daily update or a full recompute catches the orders up).
"""

import argparse
import sys

import benchlib

# Orders of a company customer placed by one of its contacts.
CONTACT_ORDER_SHARE = 0.4
# Orders placed in the customer's usual company; the others go to any company.
HOME_COMPANY_SHARE = 0.9
SALESPEOPLE = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument(
        "--customers", type=int, required=True, help="commercial customers"
    )
    parser.add_argument(
        "--orders", type=int, required=True, help="confirmed sale orders"
    )
    parser.add_argument(
        "--companies", type=int, default=3, help="res.company rows in all"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=float, default=3.0, help="history length")
    parser.add_argument(
        "--company-share",
        type=float,
        default=0.4,
        help="share of customers that are companies (with contacts)",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=1.2,
        help="Pareto exponent of the orders per customer (smaller: more skewed)",
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=1000.0,
        help="cap of a customer's Pareto weight (bounds the largest customers)",
    )
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="keep the indexes of res_partner/sale_order during the load "
        "(default: drop them and build them again afterwards, like a bulk import)",
    )
    return parser.parse_args(argv)


class Steps:
    """Prints each step with its row count and seconds."""

    def __init__(self):
        self.start = benchlib.clock()
        self.last = self.start

    def done(self, label, rows=None):
        now = benchlib.clock()
        rows_txt = f"{rows:>12,} rows" if rows is not None else " " * 17
        print(f"  {label:<44} {rows_txt}  {now - self.last:8.1f} s", flush=True)
        self.last = now

    def total(self):
        return benchlib.clock() - self.start


def setup_orm(env, args):
    """Companies, salespeople and the order sequence: a few records, through the ORM."""
    from odoo import Command

    Company = env["res.company"]
    companies = Company.search([], order="id")
    number = 1
    while len(companies) < args.companies:
        number += 1
        name = f"Bench Company {number}"
        if not Company.search_count([("name", "=", name)]):
            companies |= Company.create({"name": name})
    companies = companies[: max(args.companies, 1)]

    group = env.ref("sales_team.group_sale_salesman")
    Users = env["res.users"].with_context(no_reset_password=True)
    salespeople = Users.browse()
    for number in range(1, SALESPEOPLE + 1):
        login = f"bench_sales_{number}"
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.create(
                {
                    "name": f"Bench Salesperson {number}",
                    "login": login,
                    "company_id": companies[0].id,
                    "company_ids": [Command.set(companies.ids)],
                    "groups_id": [Command.link(group.id)],
                }
            )
        salespeople |= user
    # The admin (who confirms orders in run.py) works in every company.
    (env.ref("base.user_admin") | salespeople).write(
        {"company_ids": [Command.link(company.id) for company in companies]}
    )

    sequence = env["ir.sequence"].search(
        [("code", "=", "sale.order"), ("company_id", "in", [False, companies[0].id])],
        order="company_id",
        limit=1,
    )
    prefix, suffix = sequence._get_prefix_suffix()
    team = env.ref("sales_team.team_sales_department", raise_if_not_found=False)
    return {
        "companies": companies.ids,
        "salespeople": salespeople.ids,
        "sequence": sequence,
        "prefix": prefix or "",
        "suffix": suffix or "",
        "padding": sequence.padding,
        "number_next": sequence.number_next_actual,
        "team_id": team.id if team else None,
    }


def droppable_indexes(cr, table):
    """Indexes of ``table`` that back no constraint: (name, definition)."""
    cr.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
             FROM pg_index i
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = i.indexrelid)
         ORDER BY 1""",
        [table],
    )
    return cr.fetchall()


def reserve_ids(cr, table, count):
    """Take ``count`` consecutive ids of ``table``'s sequence; return the first."""
    cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cr.fetchone()[0]
    cr.execute("SELECT nextval(%s)", [sequence])
    first = cr.fetchone()[0]
    if count > 1:
        cr.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def home_company_case(companies, column):
    """SQL CASE picking a company, weights 1, 1/2, 1/3, ..., from a uniform column."""
    weights = [1.0 / (rank + 1) for rank in range(len(companies))]
    total = sum(weights)
    parts, cumulated = [], 0.0
    for company_id, weight in zip(companies[:-1], weights[:-1], strict=True):
        cumulated += weight / total
        parts.append(f"WHEN {column} < {cumulated:.6f} THEN {int(company_id)}")
    return f"CASE {' '.join(parts)} ELSE {int(companies[-1])} END"


def generate(cr, env, args, facts, steps):
    n, m = args.customers, args.orders
    companies = facts["companies"]
    cr.execute(
        "SET LOCAL max_parallel_workers_per_gather = 0"
    )  # setseed + one process: reproducible
    cr.execute("SET LOCAL work_mem = '256MB'")
    cr.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cr.fetchone()[0]:
        # The rows are consistent by construction: skip the foreign key triggers.
        cr.execute("SET LOCAL session_replication_role = replica")
    cr.execute("SELECT setseed(%s)", [((args.seed * 7919) % 10007) / 10007.0 * 2 - 1])

    dropped = []
    if not args.keep_indexes:
        for table in ("res_partner", "sale_order"):
            for name, definition in droppable_indexes(cr, table):
                cr.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
        steps.done(f"drop {len(dropped)} indexes (rebuilt after the load)")

    days = int(round(args.years * 365))
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
        SELECT i AS idx,
               random() < %(company_share)s AS is_company,
               random() AS u_contacts,
               LEAST(%(cap)s, (1.0 - random()) ^ (-1.0 / %(alpha)s)) - 1.0 AS weight,
               random() AS u_company,
               random() AS u_user,
               random() AS u_first,
               random() AS u_last
          FROM generate_series(0, %(n)s - 1) AS i;

        CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
        WITH shares AS (
            SELECT d.*,
                   CASE WHEN d.is_company THEN LEAST(3, floor(d.u_contacts * 4))::int
                        ELSE 0 END AS ncontacts,
                   %(extra)s * d.weight / NULLIF(SUM(d.weight) OVER (), 0) AS share
              FROM bench_draw d
        ), floored AS (
            SELECT s.*, COALESCE(floor(s.share), 0)::bigint AS base_count,
                   COALESCE(s.share - floor(s.share), 0) AS frac
              FROM shares s
        ), ranked AS (
            SELECT f.*, SUM(f.base_count) OVER () AS base_total,
                   row_number() OVER (ORDER BY f.frac DESC, f.idx) AS frac_rank
              FROM floored f
        )
        SELECT r.idx, r.is_company, r.ncontacts,
               (SUM(r.ncontacts) OVER (ORDER BY r.idx) - r.ncontacts)::bigint
                   AS contact_offset,
               CASE WHEN %(m)s < %(n)s THEN (r.idx < %(m)s)::int
                    ELSE 1 + r.base_count
                         + CASE WHEN r.frac_rank <= %(extra)s - r.base_total
                                THEN 1 ELSE 0 END
               END AS nord,
               {home_company_case(companies, "r.u_company")} AS home_company,
               (%(salespeople)s::int[])[
                   1 + LEAST(%(nsales)s - 1, floor(r.u_user * %(nsales)s))::int
               ] AS user_id,
               r.u_first * %(days)s AS first_days,
               r.u_last * r.u_first * %(days)s AS last_days
          FROM ranked r;
        """,
        {
            "n": n,
            "m": m,
            "extra": max(m - n, 0),
            "days": days,
            "company_share": args.company_share,
            "alpha": args.alpha,
            "cap": args.cap,
            "salespeople": facts["salespeople"],
            "nsales": len(facts["salespeople"]),
        },
    )
    cr.execute(
        "SELECT COALESCE(SUM(ncontacts), 0), COALESCE(SUM(nord), 0), "
        "COALESCE(MAX(nord), 0) FROM bench_customer"
    )
    ncontacts, norders, max_orders = (int(value) for value in cr.fetchone())
    steps.done("draw customers and order counts", n)

    partner_base = reserve_ids(cr, "res_partner", n + ncontacts)
    common = {"pbase": partner_base, "n": n, "tag": f"bench-{args.seed}"}
    cr.execute(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_company_name, is_company,
            commercial_partner_id, type, active, lang, email, email_normalized, phone,
            ref, user_id, customer_rank, supplier_rank, partner_share, employee, color,
            message_bounce, autopost_bills, invoice_warn, sale_warn,
            create_uid, write_uid, create_date, write_date)
        SELECT %(pbase)s + c.idx, p.name, p.name,
               CASE WHEN c.is_company THEN p.name END, c.is_company,
               %(pbase)s + c.idx, 'contact', true, 'en_US', p.email, p.email,
               '+1 555 ' || lpad((c.idx %% 10000000)::text, 7, '0'),
               %(tag)s || '-' || c.idx, c.user_id, GREATEST(c.nord, 1), 0, true,
               false, 0, 0, 'ask', 'no-message', 'no-message',
               1, 1, p.created, p.created
          FROM bench_customer c
         CROSS JOIN LATERAL (
            SELECT CASE WHEN c.is_company THEN 'Bench Company ' || c.idx || ' Ltd'
                        ELSE 'Bench Customer ' || c.idx END AS name,
                   'customer' || c.idx || '@bench.example.com' AS email,
                   date_trunc('second', (now() AT TIME ZONE 'UTC')
                              - (c.first_days + 30) * interval '1 day') AS created
         ) p
        """,
        common,
    )
    steps.done("insert commercial customers (res_partner)", cr.rowcount)
    cr.execute(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_company_name, is_company, parent_id,
            commercial_partner_id, type, active, lang, email, email_normalized, phone,
            user_id, customer_rank, supplier_rank, partner_share, employee, color,
            message_bounce, autopost_bills, invoice_warn, sale_warn,
            create_uid, write_uid, create_date, write_date)
        SELECT %(pbase)s + %(n)s + c.contact_offset + k - 1, p.name,
               'Bench Company ' || c.idx || ' Ltd, ' || p.name,
               'Bench Company ' || c.idx || ' Ltd',
               false, %(pbase)s + c.idx, %(pbase)s + c.idx, 'contact', true, 'en_US',
               p.email, p.email,
               '+1 556 ' || lpad((c.idx %% 10000000)::text, 7, '0') || k,
               c.user_id, 0, 0, true, false, 0, 0, 'ask', 'no-message', 'no-message',
               1, 1, p.created, p.created
          FROM bench_customer c
         CROSS JOIN LATERAL generate_series(1, c.ncontacts) AS k
         CROSS JOIN LATERAL (
            SELECT 'Contact ' || k || ' of ' || c.idx AS name,
                   'contact' || k || '.customer' || c.idx || '@bench.example.com'
                       AS email,
                   date_trunc('second', (now() AT TIME ZONE 'UTC')
                              - (c.first_days + 30) * interval '1 day') AS created
         ) p
         WHERE c.ncontacts > 0
        """,
        common,
    )
    steps.done("insert contacts of company customers", cr.rowcount)

    order_base = reserve_ids(cr, "sale_order", norders)
    ncompanies = len(companies)
    cr.execute(
        """
        INSERT INTO sale_order (
            id, name, state, company_id, partner_id, partner_invoice_id,
            partner_shipping_id, user_id, team_id, currency_id, currency_rate,
            amount_untaxed, amount_tax, amount_total, date_order, validity_date,
            create_date, write_date, create_uid, write_uid, invoice_status, locked,
            require_signature, require_payment, prepayment_percent)
        WITH raw AS (
            SELECT c.idx, c.user_id,
                   date_trunc('second', (now() AT TIME ZONE 'UTC')
                       - (c.last_days + CASE WHEN k = 1 THEN 0 ELSE random() END
                                        * (c.first_days - c.last_days))
                         * interval '1 day') AS date_order,
                   CASE WHEN random() < %(home_share)s THEN c.home_company
                        ELSE (%(companies)s::int[])[
                            1 + LEAST(%(ncompanies)s - 1,
                                      floor(random() * %(ncompanies)s))::int]
                   END AS company_id,
                   CASE WHEN c.ncontacts > 0 AND random() < %(contact_share)s
                        THEN %(pbase)s + %(n)s + c.contact_offset
                             + LEAST(c.ncontacts - 1,
                                     floor(random() * c.ncontacts))::int
                        ELSE %(pbase)s + c.idx
                   END AS partner_id,
                   round((10 + 390 * -ln(1 - random()))::numeric, 2) AS amount_untaxed,
                   random() * 3 AS quote_days
              FROM bench_customer c
             CROSS JOIN LATERAL generate_series(1, c.nord) AS k
        ), numbered AS (
            SELECT raw.*, row_number() OVER (ORDER BY raw.date_order, raw.idx) - 1 AS rn
              FROM raw
        )
        SELECT %(obase)s + o.rn,
               %(prefix)s || CASE WHEN length((%(seq)s + o.rn)::text) < %(padding)s
                                  THEN lpad((%(seq)s + o.rn)::text, %(padding)s, '0')
                                  ELSE (%(seq)s + o.rn)::text END || %(suffix)s,
               'sale', o.company_id, o.partner_id, o.partner_id, o.partner_id,
               o.user_id, %(team_id)s, company.currency_id, 1.0, o.amount_untaxed,
               round(o.amount_untaxed * 0.15, 2),
               o.amount_untaxed + round(o.amount_untaxed * 0.15, 2),
               o.date_order,
               (o.date_order - o.quote_days * interval '1 day')::date + 30,
               o.date_order - o.quote_days * interval '1 day', o.date_order,
               o.user_id, o.user_id, 'no', false, true, false, 1.0
          FROM numbered o
          JOIN res_company company ON company.id = o.company_id
        """,
        {
            "pbase": partner_base,
            "n": n,
            "obase": order_base,
            "companies": companies,
            "ncompanies": ncompanies,
            "home_share": HOME_COMPANY_SHARE if ncompanies > 1 else 1.0,
            "contact_share": CONTACT_ORDER_SHARE,
            "prefix": facts["prefix"],
            "suffix": facts["suffix"],
            "padding": facts["padding"],
            "seq": facts["number_next"],
            "team_id": facts["team_id"],
        },
    )
    inserted_orders = cr.rowcount
    steps.done("insert confirmed orders (sale_order)", inserted_orders)
    # Orders created from now on continue the numbering.
    facts["sequence"].write({"number_next": facts["number_next"] + inserted_orders})

    for definition in dropped:
        cr.execute(definition)
    if dropped:
        steps.done(f"rebuild {len(dropped)} indexes")
    return {
        "customers": n,
        "contacts": ncontacts,
        "orders": inserted_orders,
        "max_orders": max_orders,
    }


def main(argv=None):
    args = parse_args(argv)
    if args.customers < 1 or args.orders < 0 or args.companies < 1:
        sys.exit("customers must be >= 1, orders >= 0, companies >= 1")
    import odoo

    print(
        f"generate: {args.customers:,} customers, {args.orders:,} orders, "
        f"{args.companies} companies, seed {args.seed} into database {args.db}",
        flush=True,
    )
    reg = benchlib.registry(args.db)
    steps = Steps()
    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.module.module"].search_count(
            [("name", "=", "sale_management"), ("state", "=", "installed")]
        ):
            sys.exit(f"{args.db}: install sale_management first")
        facts = setup_orm(env, args)
        cr.commit()
        steps.done(f"companies ({len(facts['companies'])}) and salespeople (ORM)")
        counts = generate(cr, env, args, facts, steps)
        cr.commit()
        steps.done("commit")

    cnx = benchlib.connect(args.db)
    with cnx.cursor() as pg:
        pg.execute("VACUUM (ANALYZE) res_partner")
        pg.execute("VACUUM (ANALYZE) sale_order")
        pg.execute(
            "ANALYZE"
        )  # the rest (res_company, res_users, ...): small, but planned on
        pg.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('sale_order')), "
            "pg_size_pretty(pg_total_relation_size('res_partner'))"
        )
        order_size, partner_size = pg.fetchone()
        pg.execute("""
            SELECT COUNT(*) FILTER (WHERE n <= 2), COUNT(*) FILTER (WHERE n >= 100),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY n), MAX(n)
              FROM (SELECT COUNT(*) AS n FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                  GROUP BY p.commercial_partner_id) per_customer""")
        le2, ge100, med, mx = pg.fetchone()
    cnx.close()
    steps.done("VACUUM ANALYZE res_partner, sale_order; ANALYZE")
    print(
        f"generated {counts['customers']:,} customers "
        f"+ {counts['contacts']:,} contacts, "
        f"{counts['orders']:,} orders in {steps.total():.1f} s "
        f"(sale_order {order_size}, res_partner {partner_size})"
    )
    print(
        f"orders per customer (all confirmed orders in the database): median {med}, "
        f"max {mx}; {le2:,} customers with 1-2 orders, {ge100:,} with 100 or more"
    )


if __name__ == "__main__":
    main()
