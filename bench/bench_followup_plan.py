"""Benchmark of the follow-up plan's daily run (issue 3).

Fills a database with N customers whose 60-day call step is due today, then
measures, in one run on the same data:

- the floor: creating the same activities through the ORM in batches, with
  notifications off (``mail_activity_quick_update``), one commit per batch;
- the plan's daily run: ``_run_plan_batch`` called until nothing remains, one
  commit per call, as the cron runner does.

It prints customers per second, the ratio to the floor, the longest batch
(Odoo's cron time limit is the bound) and the e-mails created during the run.

Usage: python bench/bench_followup_plan.py DB [--customers 100000] [--sellers 20]
The database must have repeat_sales installed (without demo data).
"""

import argparse
import os
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

BENCH_CUSTOMERS = "Bench customer %"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sellers", type=int, default=20)
    return parser.parse_args()


def addons_path():
    """Odoo's own addons and this repository, which holds repeat_sales."""
    odoo_root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
    repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return ",".join(
        [
            os.path.join(odoo_root, "addons"),
            os.path.join(odoo_root, "odoo", "addons"),
            repository,
        ]
    )


def connect(database):
    odoo.tools.config.parse_config(
        [
            "-d",
            database,
            "--addons-path",
            addons_path(),
            "--db_host",
            os.environ.get("PGHOST", "127.0.0.1"),
            "--db_port",
            os.environ.get("PGPORT", "5432"),
            "--db_user",
            os.environ.get("PGUSER", os.environ.get("USER", "root")),
        ]
    )
    return odoo.modules.registry.Registry(database)


def fill(env, customers, sellers):
    """N customers of N/sellers salespeople, each with one order 60 days ago."""
    cr = env.cr
    salesman = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Seller {index}",
                    "login": f"bench_seller_{index}",
                    "email": f"bench.seller.{index}@example.com",
                    "groups_id": [(6, 0, salesman.ids)],
                }
                for index in range(sellers)
            ]
        )
    )
    company = env.company
    order_day = fields.Date.today() - timedelta(days=60)
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                     email, email_normalized, user_id, autopost_bills,
                                     create_date, write_date)
            SELECT 'Bench customer ' || n, 'Bench customer ' || n, true, true,
                   'contact', 'bench.customer.' || n || '@example.com',
                   'bench.customer.' || n || '@example.com',
                   (%(users)s::int[])[1 + mod(n, %(sellers)s)], 'ask', now(), now()
              FROM generate_series(1, %(customers)s) AS n
            """,
            users=users.ids,
            sellers=sellers,
            customers=customers,
        )
    )
    cr.execute(
        SQL(
            """UPDATE res_partner SET commercial_partner_id = id
                WHERE commercial_partner_id IS NULL AND name LIKE %s""",
            BENCH_CUSTOMERS,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                                    partner_shipping_id, company_id, currency_id,
                                    date_order, state, amount_untaxed, amount_tax,
                                    amount_total, currency_rate, create_date,
                                    write_date)
            SELECT 'BENCH' || p.id, p.id, p.id, p.id, %(company)s, %(currency)s,
                   %(day)s::date + time '10:00', 'sale', 100, 0, 100, 1, now(), now()
              FROM res_partner p
             WHERE p.name LIKE %(bench_customers)s
            """,
            bench_customers=BENCH_CUSTOMERS,
            company=company.id,
            currency=company.currency_id.id,
            day=order_day,
        )
    )
    env.invalidate_all()
    env["repeat.sales.partner.stat"]._recompute_all()
    cr.commit()
    return users


def bench_floor(env, step):
    """The same activities, created in batches through the ORM, notifications off."""
    cr = env.cr
    cr.execute(
        SQL(
            """SELECT stat.partner_id, COALESCE(p.user_id, %s)
                 FROM repeat_sales_partner_stat stat
                 JOIN res_partner p ON p.id = stat.partner_id
                WHERE p.name LIKE %s ORDER BY stat.partner_id""",
            env.uid,
            BENCH_CUSTOMERS,
        )
    )
    rows = cr.fetchall()
    model_id = env["ir.model"]._get_id("res.partner")
    deadline = fields.Date.today() + timedelta(days=step.activity_deadline_days)
    Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
    batch_size = 2000
    started = time.perf_counter()
    longest = 0.0
    for start in range(0, len(rows), batch_size):
        batch_started = time.perf_counter()
        Activity.create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": step.activity_type_id.id,
                    "summary": step.summary,
                    "note": step.note,
                    "user_id": user_id,
                    "date_deadline": deadline,
                }
                for partner_id, user_id in rows[start : start + batch_size]
            ]
        )
        cr.commit()
        longest = max(longest, time.perf_counter() - batch_started)
    return time.perf_counter() - started, longest, len(rows)


def reset(env):
    """Remove what the floor left, so that the plan starts from the same state."""
    cr = env.cr
    cr.execute(
        """DELETE FROM mail_activity a USING res_partner p
            WHERE a.res_model = 'res.partner' AND a.res_id = p.id
              AND p.name LIKE 'Bench customer %'"""
    )
    cr.execute(
        """DELETE FROM mail_followers f USING res_partner p
            WHERE f.res_model = 'res.partner' AND f.res_id = p.id
              AND p.name LIKE 'Bench customer %'"""
    )
    cr.execute("DELETE FROM repeat_sales_followup")
    cr.commit()
    env.invalidate_all()


def count(cr, table):
    cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def bench_plan(env):
    cr = env.cr
    Followup = env["repeat.sales.followup"]
    today = fields.Date.today()
    mails_before = count(cr, "mail_mail")
    messages_before = count(cr, "mail_message")
    started = time.perf_counter()
    longest = 0.0
    batches = 0
    remaining = True
    while remaining:
        batch_started = time.perf_counter()
        remaining = Followup._run_plan_batch(today)
        cr.commit()
        env.invalidate_all()
        batches += 1
        longest = max(longest, time.perf_counter() - batch_started)
    elapsed = time.perf_counter() - started
    return (
        elapsed,
        longest,
        batches,
        count(cr, "mail_mail") - mails_before,
        count(cr, "mail_message") - messages_before,
    )


def main():
    args = parse_args()
    registry = connect(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        step = env.ref("repeat_sales.followup_step_call_60")
        fill_started = time.perf_counter()
        fill(env, args.customers, args.sellers)
        filled = time.perf_counter() - fill_started
        print(f"filled {args.customers} customers in {filled:.1f} s")

        floor, floor_batch, activities = bench_floor(env, step)
        reset(env)
        plan, plan_batch, batches, mails, messages = bench_plan(env)
        created = env["mail.activity"].search_count(
            [("repeat_followup_id", "!=", False)]
        )

    print(f"machine: {os.cpu_count()} cores")
    print(
        f"floor (ORM batch create, notifications off): {floor:.1f} s for "
        f"{activities} activities, {activities / floor:.0f}/s, longest batch "
        f"{floor_batch:.1f} s"
    )
    print(
        f"daily plan run: {plan:.1f} s for {created} customers, "
        f"{created / plan:.0f} customers/s, {batches} cron calls, longest "
        f"{plan_batch:.1f} s"
    )
    ratio = plan / floor
    print(
        f"ratio to floor: {ratio:.2f} (target <= 1.5) "
        f"{'PASS' if ratio <= 1.5 else 'FAIL'}"
    )
    print(
        f"longest cron call: {plan_batch:.1f} s (target <= 30) "
        f"{'PASS' if plan_batch <= 30 else 'FAIL'}"
    )
    print(
        f"e-mails queued during the run: {mails} for {created} activities "
        f"({messages} messages: the digests)"
    )


if __name__ == "__main__":
    main()
