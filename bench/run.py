#!/usr/bin/env python3
"""Measure the repeat_sales engine on a database filled by generate.py.

    run.py DB [--sample-orders 1000] [--repeats 3] [--strict]

In one run, on the same data:
  (c) confirming --sample-orders draft orders one by one, one transaction each,
      WITH repeat_sales and WITHOUT it, one of each in turn: if the addon is not
      installed yet, the database is first copied (the side without it), then
      the addon is installed with odoo-bin (its back-fill is timed);
  (a) the full recompute (_recompute_all) next to its floor, a bare CREATE
      TABLE AS of the same aggregate SELECT: first run (empty table) and steady
      state (nothing changed), alternately, medians of --repeats runs;
  (b) the nightly run (_cron_daily_update) after 1% of the customers ordered
      and ~1% crossed a segment threshold (the clock is moved forward with
      freezegun by as many days as that takes).
Each part runs in a fresh Python process (``--phase``), so the registry it
loads matches the modules installed at that moment.
"""

import argparse
import collections
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

import benchlib
from psycopg2 import sql

TARGET_FLOOR_RATIO = 1.5  # (a) within 1.5x its floor
TARGET_NIGHTLY_SHARE = 20  # (b) under 1/20 of (a)
TARGET_CONFIRM_OVERHEAD = 0.20  # (c) the addon adds under 20% per confirmation
# (c): orders confirmed after the measurement with the addon's entry points timed
BREAKDOWN_ORDERS = 200
BREAKDOWN_METHODS = [
    ("repeat.sales.partner.stat", "_apply_pending_changes"),  # figures, at commit
    ("repeat.sales.partner.stat", "_mark_partners_changed"),
    ("sale.order", "_repeat_confirmation_work"),
    ("repeat.sales.followup", "_end_plans"),
    ("repeat.sales.call", "_credit_orders"),
    ("repeat.sales.call", "_end_promises"),
]
NOISY_CORES = 0.15  # other processes' average CPU use above which timings are noisy
STAT_TABLE = "repeat_sales_partner_stat"
# The engine's modules log under it (the daily update is a file of its own).
ENGINE_LOGGER = "odoo.addons.repeat_sales.models.engine"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument(
        "--sample-orders",
        type=int,
        default=1000,
        help="draft orders confirmed one by one in (c), per side",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=20,
        help="orders confirmed before (c) is timed, per side",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each measurement of (a) and (b); the median is reported",
    )
    parser.add_argument(
        "--changed-share",
        type=float,
        default=0.01,
        help="(b): share of the customers that order before the nightly run",
    )
    parser.add_argument(
        "--crossing-share",
        type=float,
        default=0.01,
        help="(b): share of the customers that should cross a segment threshold",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-explain",
        action="store_true",
        help="do not print the EXPLAIN (ANALYZE, BUFFERS) of the engine statements",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed"
    )
    parser.add_argument(
        "--phase",
        choices=["confirm", "confirm_pair", "recompute", "nightly"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--baseline-db", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def say(*lines):
    for line in lines:
        print(line, flush=True)


def title(text):
    say("", f"== {text} ==")


# ----------------------------------------------------------------------
# Facts read with plain SQL
# ----------------------------------------------------------------------


def module_state(pg, name):
    pg.execute("SELECT state FROM ir_module_module WHERE name = %s", [name])
    row = pg.fetchone()
    return row[0] if row else None


def row_counts(pg):
    pg.execute("""
        SELECT (SELECT COUNT(*) FROM res_company),
               (SELECT COUNT(*) FROM res_partner
                 WHERE parent_id IS NULL AND customer_rank > 0),
               (SELECT COUNT(*) FROM res_partner WHERE parent_id IS NOT NULL),
               (SELECT COUNT(*) FROM sale_order WHERE state = 'sale'),
               (SELECT COUNT(*) FROM sale_order)""")
    companies, customers, contacts, confirmed, orders = pg.fetchone()
    line = (
        f"rows: {companies} companies, {customers:,} customers, {contacts:,} contacts, "
        f"{confirmed:,} confirmed orders ({orders:,} in all)"
    )
    pg.execute("SELECT to_regclass(%s)", [STAT_TABLE])
    if pg.fetchone()[0]:
        pg.execute(f"SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM {STAT_TABLE}")
        stats, partners = pg.fetchone()
        pg.execute(f"SELECT segment, COUNT(*) FROM {STAT_TABLE} GROUP BY 1 ORDER BY 1")
        segments = ", ".join(f"{segment} {count:,}" for segment, count in pg.fetchall())
        line += f", {stats:,} figure rows ({partners:,} customers; {segments})"
    return line


# ----------------------------------------------------------------------
# EXPLAIN of the statements a piece of Python runs (auto_explain)
# ----------------------------------------------------------------------


def explain_on(cr, min_duration_ms=0):
    """Have PostgreSQL send each statement's EXPLAIN (ANALYZE, BUFFERS) as a notice.

    Returns False when auto_explain cannot be loaded (not a superuser).
    """
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cr.fetchone()[0]:
        return False
    cr.execute("LOAD 'auto_explain'")
    for name, value in (
        ("log_min_duration", min_duration_ms),
        ("log_analyze", "on"),
        ("log_buffers", "on"),
        ("log_timing", "on"),
        ("log_triggers", "on"),
        ("log_nested_statements", "off"),
        ("log_format", "text"),
        ("log_level", "notice"),
    ):
        cr.execute(f"SET LOCAL auto_explain.{name} = '{value}'")
    cr._cnx.notices = collections.deque(maxlen=1000)
    return True


def explained(cr, must_mention=None):
    """(duration ms, short query, plan lines) of the notices auto_explain sent."""
    plans = []
    for notice in list(cr._cnx.notices):
        match = re.search(
            r"duration: ([\d.]+) ms\s+plan:\s*\nQuery Text:(.*)", notice, re.S
        )
        if not match:
            continue
        duration, rest = float(match.group(1)), match.group(2)
        lines = rest.split("\n")
        start = next((i for i, line in enumerate(lines) if "(cost=" in line), None)
        if start is None:
            continue
        query = " ".join(" ".join(lines[:start]).split())
        if must_mention and not any(word in query for word in must_mention):
            continue
        plan = [line.rstrip() for line in lines[start:] if line.strip()]
        plans.append((duration, query, plan))
    cr._cnx.notices.clear()
    return plans


def print_plans(plans, heading):
    for duration, query, plan in plans:
        more = "..." if len(query) > 110 else ""
        say(f"  -- {heading}: {duration:,.1f} ms -- {query[:110]}{more}")
        for line in plan:
            say(f"     {line}")


# ----------------------------------------------------------------------
# Phases (each in its own process)
# ----------------------------------------------------------------------


def env_for(cr, uid=None, context=None):
    import odoo

    return odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, context or {})


def sample_order_customers(cr, count, seed):
    """(partner, company) of random generated confirmed orders: customers weighted
    by how often they order, as the next orders are."""
    cr.execute(
        "SELECT MIN(id), MAX(id) FROM sale_order "
        "WHERE origin IS NULL AND state = 'sale'"
    )
    low, high = cr.fetchone()
    if low is None:
        sys.exit("no confirmed order to sample customers from: run generate.py first")
    rng = random.Random(seed)
    picks, seen = [], set()
    while len(picks) < count:
        ids = [rng.randint(low, high) for _ in range(2 * (count - len(picks)) + 10)]
        cr.execute(
            "SELECT id, partner_id, company_id FROM sale_order "
            "WHERE id = ANY(%s) AND origin IS NULL AND state = 'sale'",
            [ids],
        )
        found = {row[0]: row[1:] for row in cr.fetchall()}
        for order_id in ids:
            if order_id in found and order_id not in seen and len(picks) < count:
                seen.add(order_id)
                picks.append(found[order_id])
    return picks


def create_drafts(args, reg, count, extra=0):
    """``count`` (+ ``extra``) draft orders of sampled customers, one line each.

    Returns the (order id, company id) list and the admin's id. The same
    database content and seed give the same customers, in the same order.
    """
    from odoo import Command

    origin = f"bench-confirm-{args.label}"
    with reg.cursor() as cr:
        env = env_for(cr)
        product = env["product.product"].search(
            [("default_code", "=", "BENCH-CONFIRM")], limit=1
        )
        if not product:
            product = env["product.product"].create(
                {
                    "name": "Bench Confirm Product",
                    "default_code": "BENCH-CONFIRM",
                    "list_price": 125.0,
                    "sale_ok": True,
                }
            )
        admin = env.ref("base.user_admin")
        picks = sample_order_customers(cr, count, args.seed)
        picks += sample_order_customers(cr, extra, args.seed + 1000) if extra else []
        rng = random.Random(args.seed)
        vals = [
            {
                "partner_id": partner_id,
                "company_id": company_id,
                "origin": origin,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": rng.randint(1, 5),
                        }
                    )
                ],
            }
            for partner_id, company_id in picks
        ]
        drafts = [None] * len(picks)
        by_company = collections.defaultdict(list)
        for index, value in enumerate(vals):
            by_company[value["company_id"]].append(index)
        for company_id, indexes in by_company.items():
            orders_env = env(
                user=admin.id,
                context={
                    "allowed_company_ids": [company_id],
                    "tz": "UTC",
                    "lang": "en_US",
                },
            )["sale.order"]
            for chunk in range(0, len(indexes), 100):
                part = indexes[chunk : chunk + 100]
                created = orders_env.create([vals[index] for index in part])
                for index, order in zip(part, created, strict=True):
                    drafts[index] = (order.id, company_id)
        cr.commit()
        return drafts, admin.id


def confirmer(reg, admin_id):
    """Confirm one draft order in a transaction of its own, as a request does."""

    def confirm(order_id, company_id):
        with reg.cursor() as cr:  # commits on exit, like a request
            env = env_for(
                cr,
                admin_id,
                {"allowed_company_ids": [company_id], "tz": "UTC", "lang": "en_US"},
            )
            env["sale.order"].browse(order_id).action_confirm()

    return confirm


def timing_figures(timings):
    timings = sorted(timings)
    return {
        "orders": len(timings),
        "total_s": sum(timings),
        "mean_ms": 1000 * sum(timings) / len(timings),
        "median_ms": 1000 * benchlib.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        "max_ms": 1000 * timings[-1],
    }


def say_timings(result, warmup, side=""):
    say(
        f"  {side}confirmed {result['orders']:,} orders ({warmup} more before, "
        f"untimed) in {result['total_s']:.1f} s: mean {result['mean_ms']:.1f} ms, "
        f"median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"max {result['max_ms']:.1f} ms"
    )


def phase_confirm(args, reg):
    """(c) Confirm draft orders one by one, each in its own transaction."""
    total = args.sample_orders + args.warmup
    start = benchlib.clock()
    with reg.cursor() as cr:
        addon = "repeat.sales.partner.stat" in env_for(cr)
    extra = BREAKDOWN_ORDERS if addon else 0
    drafts, admin_id = create_drafts(args, reg, total, extra)
    say(
        f"  created {total:,} draft orders with one line each "
        f"({benchlib.clock() - start:.1f} s)"
    )
    confirm = confirmer(reg, admin_id)
    timings = []
    for position, (order_id, company_id) in enumerate(drafts[:total]):
        began = benchlib.clock()
        confirm(order_id, company_id)
        if position >= args.warmup:
            timings.append(benchlib.clock() - began)
    result = timing_figures(timings)
    say_timings(result, args.warmup)
    if extra:
        result["breakdown_ms"] = addon_breakdown(reg, drafts[total:], confirm)
    return result


def phase_confirm_pair(args, reg):
    """(c) The same orders confirmed with the addon (``reg``) and without it
    (a copy of the database made before the install), one of each in turn,
    so that both sides see the same machine, caches and clock."""
    baseline = benchlib.registry(args.baseline_db)
    total = args.sample_orders + args.warmup
    start = benchlib.clock()
    with_drafts, admin_id = create_drafts(args, reg, total, BREAKDOWN_ORDERS)
    without_drafts, baseline_admin_id = create_drafts(args, baseline, total)
    say(
        f"  created {total:,} draft orders with one line each on each side, "
        f"for the same customers ({benchlib.clock() - start:.1f} s)"
    )
    sides = {
        "with": (confirmer(reg, admin_id), with_drafts),
        "without": (confirmer(baseline, baseline_admin_id), without_drafts),
    }
    timings = {"with": [], "without": []}
    for position in range(total):
        # Alternate which side goes first: neither always follows the other.
        order = ("with", "without") if position % 2 else ("without", "with")
        for side in order:
            confirm, drafts = sides[side]
            began = benchlib.clock()
            confirm(*drafts[position])
            if position >= args.warmup:
                timings[side].append(benchlib.clock() - began)
    result = {side: timing_figures(timings[side]) for side in ("without", "with")}
    for side in ("without", "with"):
        say_timings(result[side], args.warmup, f"{side:<7} repeat_sales: ")
    result["with"]["breakdown_ms"] = addon_breakdown(
        reg, with_drafts[total:], sides["with"][0]
    )
    return result


def addon_breakdown(reg, drafts, confirm):
    """Where the addon's time goes: confirm more orders with its entry points
    timed (wrapped in memory, after the measurement above)."""
    spent = collections.defaultdict(float)

    def timed(model, name):
        cls = reg[model]
        original = getattr(cls, name)

        def wrapper(self, *args, **kwargs):
            began = benchlib.clock()
            try:
                return original(self, *args, **kwargs)
            finally:
                spent[f"{model}.{name}"] += benchlib.clock() - began

        setattr(cls, name, wrapper)

    for model, name in BREAKDOWN_METHODS:
        if model in reg and hasattr(reg[model], name):
            timed(model, name)
    began = benchlib.clock()
    for order_id, company_id in drafts:
        confirm(order_id, company_id)
    total = benchlib.clock() - began
    breakdown = {name: 1000 * seconds / len(drafts) for name, seconds in spent.items()}
    say(
        f"  where the addon's time goes ({len(drafts)} more orders, "
        f"{1000 * total / len(drafts):.1f} ms each with the timers):"
    )
    for name, ms in sorted(breakdown.items(), key=lambda item: -item[1]):
        say(f"    {ms:6.2f} ms  {name}")
    say(f"    {sum(breakdown.values()):6.2f} ms  in all")
    return breakdown


def floor_statement(env, today):
    """CREATE TABLE ... AS the engine's own aggregate SELECT (as the issue says).

    A plain table, like the engine's: it writes WAL, which a TEMP table would
    not, so the floor pays the same kind of writes as the recompute.
    """
    from odoo.tools import SQL

    fresh = env["repeat.sales.partner.stat"]._fresh_figures_sql(today)
    env.cr.execute(SQL("SELECT * FROM (%s) AS fresh LIMIT 0", fresh))
    columns = SQL(", ").join(
        SQL.identifier(f"c{i}") for i in range(len(env.cr.description))
    )
    return SQL("CREATE TABLE bench_floor (%s) AS %s", columns, fresh)


def phase_recompute(args, reg):
    """(a) Full recompute and its floor, first run and steady state."""
    from odoo import fields
    from odoo.tools import SQL

    with reg.cursor() as cr:
        env = env_for(cr)
        today = fields.Date.context_today(env["repeat.sales.partner.stat"])
        floor_sql = floor_statement(env, today)

    def floor():
        with reg.cursor() as cr:
            cr.execute("DROP TABLE IF EXISTS bench_floor")
            cr.commit()
            began = benchlib.clock()
            cr.execute(floor_sql)
            rows = cr.rowcount
            cr.commit()
            seconds = benchlib.clock() - began
            cr.execute("DROP TABLE bench_floor")
            cr.commit()
            return seconds, rows

    def recompute(explain=False):
        with reg.cursor() as cr:
            env = env_for(cr)
            if explain and not explain_on(cr, 0):
                return None, None, []
            began = benchlib.clock()
            changed = env["repeat.sales.partner.stat"]._recompute_all()
            cr.commit()
            seconds = benchlib.clock() - began
            plans = explained(cr, [STAT_TABLE]) if explain else []
            return seconds, changed, plans

    def empty_table():
        with reg.cursor() as cr:
            cr.execute(f"TRUNCATE {STAT_TABLE}")

    def vacuum():
        cnx = benchlib.connect(args.db)
        with cnx.cursor() as pg:
            pg.execute(f"VACUUM (ANALYZE) {STAT_TABLE}")
        cnx.close()

    result = {}
    for kind in ("first", "steady"):
        if kind == "first":
            say("  first run (table emptied before each recompute):")
        else:
            say("  steady run (nothing changed):")
        floors, recomputes, changes = [], [], []
        for run in range(args.repeats):
            floor_s, floor_rows = floor()
            if kind == "first":
                empty_table()
            recompute_s, changed, _plans = recompute()
            floors.append(floor_s)
            recomputes.append(recompute_s)
            changes.append(changed)
            say(
                f"    run {run + 1}: floor {floor_s:7.3f} s ({floor_rows:,} rows)   "
                f"recompute {recompute_s:7.3f} s ({changed:,} rows written)   "
                f"ratio {recompute_s / floor_s:5.2f}"
            )
        if kind == "first":
            # As autovacuum would after a bulk insert; keeps it out of the timings.
            vacuum()
        floor_s, recompute_s = benchlib.median(floors), benchlib.median(recomputes)
        result[kind] = {
            "floor_s": floor_s,
            "recompute_s": recompute_s,
            "ratio": recompute_s / floor_s,
            "rows_written": changes,
            "floor_rows": floor_rows,
            "floors": floors,
            "recomputes": recomputes,
        }
        say(
            f"    median: floor {floor_s:.3f} s, recompute {recompute_s:.3f} s, "
            f"ratio {recompute_s / floor_s:.2f}"
        )

    if not args.no_explain:
        say("  EXPLAIN (ANALYZE, BUFFERS), one more run of each (not timed above):")
        with reg.cursor() as cr:
            cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", floor_sql))
            say("  -- floor: CREATE TABLE ... AS <_fresh_figures_sql>")
            for (line,) in cr.fetchall():
                say(f"     {line}")
            cr.rollback()
        _s, _n, plans = recompute(explain=True)
        print_plans(plans, "recompute, steady state")
        empty_table()
        _s, _n, plans = recompute(explain=True)
        print_plans(plans, "recompute, first run")
        vacuum()
    return result


def insert_new_orders(cr, env, share, seed):
    """One new confirmed order, written now, for ``share`` of the customers (in SQL)."""
    cr.execute(f"SELECT COUNT(DISTINCT partner_id) FROM {STAT_TABLE}")
    customers = cr.fetchone()[0]
    wanted = max(1, round(customers * share))
    cr.execute("SELECT setseed(%s)", [(seed % 1000) / 1000.0])
    cr.execute(
        f"""SELECT partner_id, company_id FROM (
                SELECT DISTINCT ON (partner_id) partner_id, company_id, random() AS draw
                  FROM {STAT_TABLE} ORDER BY partner_id, random()) one_per_customer
             ORDER BY draw LIMIT %s""",
        [wanted],
    )
    picks = cr.fetchall()
    sequence = env["ir.sequence"].search([("code", "=", "sale.order")], limit=1)
    prefix, suffix = sequence._get_prefix_suffix() if sequence else ("S", "")
    if sequence and sequence.implementation == "standard":
        number = f"nextval('ir_sequence_{sequence.id:03d}')"
    else:
        number = "so.id"
    padding = sequence.padding if sequence else 5
    team = env.ref("sales_team.team_sales_department", raise_if_not_found=False)
    cr.execute(
        f"""
        WITH picked AS (
            SELECT * FROM unnest(%(partners)s::int[], %(companies)s::int[])
                       AS p(partner_id, company_id)
        ), new_orders AS (
            SELECT nextval('sale_order_id_seq') AS id, picked.partner_id,
                   picked.company_id,
                   COALESCE(partner.user_id, %(admin)s) AS user_id, company.currency_id,
                   round((10 + 390 * -ln(1 - random()))::numeric, 2) AS amount_untaxed
              FROM picked
              JOIN res_partner partner ON partner.id = picked.partner_id
              JOIN res_company company ON company.id = picked.company_id
        )
        INSERT INTO sale_order (
            id, name, state, company_id, partner_id, partner_invoice_id,
            partner_shipping_id, user_id, team_id, currency_id, currency_rate,
            amount_untaxed, amount_tax, amount_total, date_order, validity_date,
            create_date, write_date, create_uid, write_uid, invoice_status, locked,
            require_signature, require_payment, prepayment_percent, origin)
        SELECT so.id,
               %(prefix)s || lpad(({number})::text, %(padding)s, '0') || %(suffix)s,
               'sale', so.company_id, so.partner_id, so.partner_id, so.partner_id,
               so.user_id, %(team)s, so.currency_id, 1.0, so.amount_untaxed,
               round(so.amount_untaxed * 0.15, 2),
               so.amount_untaxed + round(so.amount_untaxed * 0.15, 2),
               now() AT TIME ZONE 'UTC', (now() AT TIME ZONE 'UTC')::date + 30,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
               so.user_id, so.user_id,
               'no', false, true, false, 1.0, 'bench-nightly'
          FROM new_orders so
        """,
        {
            "partners": [p for p, _c in picks],
            "companies": [c for _p, c in picks],
            "admin": env.ref("base.user_admin").id,
            "prefix": prefix or "",
            "suffix": suffix or "",
            "padding": padding,
            "team": team.id if team else None,
        },
    )
    return customers, cr.rowcount


def crossing_days(cr, today, share):
    """Fewest days ahead at which ``share`` of the figure rows cross a threshold."""
    cr.execute(
        f"""
        WITH due AS (
            SELECT CASE stat.segment
                       WHEN 'hot'
                           THEN stat.last_order_date + company.repeat_hot_days + 1
                       WHEN 'warm'
                           THEN stat.last_order_date + company.repeat_warm_days + 1
                   END - %(today)s::date AS days
              FROM {STAT_TABLE} stat
              JOIN res_company company ON company.id = stat.company_id
        )
        SELECT days, SUM(COUNT(*)) OVER (ORDER BY days),
               (SELECT COUNT(*) FROM {STAT_TABLE})
          FROM due WHERE days BETWEEN 1 AND 365 GROUP BY days ORDER BY days
        """,
        {"today": today},
    )
    rows = cr.fetchall()
    if not rows:
        return 1, 0
    target = share * rows[0][2]
    for days, cumulated, _total in rows:
        if cumulated >= target:
            return days, int(cumulated)
    return rows[-1][0], int(rows[-1][1])


class EngineLog(logging.Handler):
    """Collects what the engine logs (rows refreshed and moved by the daily run)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def counts(self):
        for message in reversed(self.messages):
            match = re.search(r"refreshed (\d+) and moved (\d+)", message)
            if match:
                return int(match.group(1)), int(match.group(2))
        return None, None


def phase_nightly(args, reg):
    """(b) The daily update after 1% of customers ordered and ~1% cross a threshold."""
    from freezegun import freeze_time

    from odoo import fields

    param_key = "repeat_sales.stat_updated_at"
    with reg.cursor() as cr:
        env = env_for(cr)
        # The previous nightly run ended now: everything before is in the figures.
        env["ir.config_parameter"].sudo().set_param(
            param_key, fields.Datetime.to_string(cr.now())
        )
    time.sleep(1.1)
    with reg.cursor() as cr:
        env = env_for(cr)
        customers, inserted = insert_new_orders(cr, env, args.changed_share, args.seed)
        cr.commit()
        today = fields.Date.context_today(env["repeat.sales.partner.stat"])
        days, crossing = crossing_days(cr, today, args.crossing_share)
    say(
        f"  {inserted:,} customers of {customers:,} "
        f"({100 * inserted / customers:.2f}%) got a new order (SQL, write_date now)"
    )
    say(
        f"  today moved {days} day(s) ahead with freezegun: {crossing:,} figure rows "
        f"cross a segment threshold by then"
    )

    handler = EngineLog()
    engine_logger = logging.getLogger(ENGINE_LOGGER)
    engine_logger.addHandler(handler)
    engine_logger.setLevel(logging.INFO)
    engine_logger.propagate = False

    result = {
        "changed_customers": inserted,
        "days_ahead": days,
        "crossing_expected": crossing,
    }
    frozen_now = datetime.utcnow() + timedelta(days=days)
    with freeze_time(frozen_now, tick=True):
        plans = []
        if not args.no_explain:
            with reg.cursor() as cr:
                if explain_on(cr, 0):
                    env_for(cr)["repeat.sales.partner.stat"]._cron_daily_update()
                    plans = explained(cr, [STAT_TABLE, "sale_order"])
                cr.rollback()
        runs = []
        for run in range(args.repeats):
            last = run == args.repeats - 1
            with reg.cursor() as cr:
                began = benchlib.clock()
                env_for(cr)["repeat.sales.partner.stat"]._cron_daily_update()
                if last:
                    cr.commit()
                else:
                    cr.rollback()
                seconds = benchlib.clock() - began
            refreshed, moved = handler.counts()
            runs.append(seconds)
            say(
                f"    run {run + 1}: {seconds:7.3f} s   refreshed {refreshed:,} and "
                f"moved {moved:,} figure rows{'' if last else '   (rolled back)'}"
            )
        result.update(
            seconds=benchlib.median(runs), runs=runs, refreshed=refreshed, moved=moved
        )
        say(f"    median {result['seconds']:.3f} s")
        if plans:
            say(
                "  EXPLAIN (ANALYZE, BUFFERS) of its statements "
                "(one more run, rolled back):"
            )
            print_plans(plans, "nightly")

        # Check: the nightly run left nothing for a full recompute to change.
        with reg.cursor() as cr:
            began = benchlib.clock()
            leftover = env_for(cr)["repeat.sales.partner.stat"]._store_fresh_figures()
            cr.rollback()
        result["leftover"] = leftover
        say(
            f"  check: a full recompute right after it would change {leftover:,} rows "
            f"(expected 0; {benchlib.clock() - began:.1f} s, rolled back)"
        )
    return result


PHASES = {
    "confirm": phase_confirm,
    "confirm_pair": phase_confirm_pair,
    "recompute": phase_recompute,
    "nightly": phase_nightly,
}


def run_phase_here(args):
    reg = benchlib.registry(args.db)
    result = PHASES[args.phase](args, reg)
    with open(args.result, "w") as out:
        json.dump(result, out)


# ----------------------------------------------------------------------
# The whole run
# ----------------------------------------------------------------------


def checkpoint(db):
    """Write out the dirty buffers of the previous step, so that its background
    writes do not land in the next measurement (needs a superuser, else skipped)."""
    cnx = benchlib.connect(db)
    try:
        with cnx.cursor() as pg:
            pg.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if pg.fetchone()[0]:
                pg.execute("CHECKPOINT")
    finally:
        cnx.close()


def run_phase(args, phase, label=""):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        path = tmp.name
    command = [
        sys.executable,
        os.path.abspath(__file__),
        args.db,
        "--phase",
        phase,
        "--label",
        label,
        "--result",
        path,
        "--sample-orders",
        str(args.sample_orders),
        "--warmup",
        str(args.warmup),
        "--repeats",
        str(args.repeats),
        "--changed-share",
        str(args.changed_share),
        "--crossing-share",
        str(args.crossing_share),
        "--seed",
        str(args.seed),
    ]
    if args.no_explain:
        command.append("--no-explain")
    if args.baseline_db:
        command += ["--baseline-db", args.baseline_db]
    checkpoint(args.db)
    sys.stdout.flush()
    code = subprocess.call(command)
    try:
        if code:
            sys.exit(f"phase {phase} {label} failed (exit {code})")
        with open(path) as result:
            return json.load(result)
    finally:
        os.unlink(path)


def install_addon(args):
    benchlib.OUT_DIR.mkdir(exist_ok=True)
    logfile = benchlib.OUT_DIR / "install-repeat_sales.log"
    seconds, code = benchlib.odoo_bin(
        args.db,
        "-i",
        "repeat_sales",
        "--stop-after-init",
        "--without-demo=all",
        log_level="info",
        logfile=logfile,
    )
    with open(logfile) as log:
        lines = log.read().splitlines()
    for line in lines:
        if (
            "repeat_sales: full recompute" in line
            or "Module repeat_sales loaded" in line
            or " ERROR " in line
            or " CRITICAL " in line
        ):
            say(f"  | {line[:200]}")
    if code:
        sys.exit(f"installing repeat_sales failed (exit {code}); see {logfile}")
    cnx = benchlib.connect(args.db)
    with cnx.cursor() as pg:
        pg.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = %s", [STAT_TABLE])
        analyzed = pg.fetchone()[0] > 0
        if not analyzed:
            # What autovacuum does soon after a bulk insert; until then every
            # confirmation is planned without statistics on the figure table.
            pg.execute(f"VACUUM (ANALYZE) {STAT_TABLE}")
    cnx.close()
    say(
        "  the install left the figure table with statistics"
        if analyzed
        else "  the install left the figure table WITHOUT statistics (no ANALYZE "
        "after the back-fill): analyzed now, as autovacuum would be about to"
    )
    return {"seconds": seconds, "analyzed_by_install": analyzed}


def verdict(ok):
    return "PASS" if ok else "FAIL"


def summary(results):
    title("summary")
    ok_all = True
    rec = results["recompute"]
    for kind, label in (
        ("first", "first run, empty table"),
        ("steady", "steady rerun, no change"),
    ):
        item = rec[kind]
        ok = item["ratio"] <= TARGET_FLOOR_RATIO
        ok_all &= ok
        say(
            f"(a) full recompute, {label:<24} {item['recompute_s']:9.3f} s   floor "
            f"{item['floor_s']:8.3f} s   ratio {item['ratio']:5.2f}  (target <= "
            f"{TARGET_FLOOR_RATIO})  {verdict(ok)}"
        )
    nightly = results["nightly"]
    reference = min(rec["first"]["recompute_s"], rec["steady"]["recompute_s"])
    share = nightly["seconds"] / reference
    ok = share < 1 / TARGET_NIGHTLY_SHARE
    ok_all &= ok
    say(
        f"(b) nightly run (1% ordered, {nightly['moved']:,} moved)      "
        f"{nightly['seconds']:9.3f} s   = 1/{1 / share:.0f} of (a) ({share:.4f})  "
        f"(target < 1/{TARGET_NIGHTLY_SHARE})  {verdict(ok)}"
    )
    if "confirm_without" in results:
        without = results["confirm_without"]["mean_ms"]
        with_addon = results["confirm_with"]["mean_ms"]
        overhead = with_addon / without - 1
        ok = overhead < TARGET_CONFIRM_OVERHEAD
        ok_all &= ok
        median_overhead = (
            results["confirm_with"]["median_ms"]
            / results["confirm_without"]["median_ms"]
            - 1
        )
        say(
            f"(c) confirm one order: without {without:7.1f} ms, "
            f"with {with_addon:7.1f} ms   overhead {100 * overhead:+5.1f}% "
            f"(median {100 * median_overhead:+5.1f}%)  "
            f"(target < {100 * TARGET_CONFIRM_OVERHEAD:.0f}%)  {verdict(ok)}"
        )
    else:
        say(
            f"(c) confirm one order: with {results['confirm_with']['mean_ms']:.1f} ms; "
            "without: not measured (repeat_sales was installed already)  -"
        )
    if "install" in results:
        say(
            "install of repeat_sales (back-fills every customer): "
            f"{results['install']['seconds']:.1f} s"
        )
    return ok_all


def copy_database(source, target):
    """``target``: a new copy of ``source`` (dropped first if it exists)."""
    drop_database(target)
    cnx = benchlib.connect("postgres")
    with cnx.cursor() as pg:
        pg.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
    cnx.close()


def drop_database(name):
    cnx = benchlib.connect("postgres")
    with cnx.cursor() as pg:
        pg.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
    cnx.close()


def orchestrate(args):
    cnx = benchlib.connect(args.db)
    with cnx.cursor() as pg:
        installed = module_state(pg, "repeat_sales") == "installed"
    cnx.close()
    if not installed:
        # (c) compares with a copy of this database as it is before the install.
        args.baseline_db = f"{args.db}_without_addon"
        began = benchlib.clock()
        copy_database(args.db, args.baseline_db)
        say(
            f"copied {args.db} to {args.baseline_db} for (c) without the addon "
            f"({benchlib.clock() - began:.1f} s)"
        )
    cnx = benchlib.connect(args.db)
    pg = cnx.cursor()
    title(
        f"repeat_sales benchmark, database {args.db}, {datetime.now():%Y-%m-%d %H:%M}"
    )
    say(*benchlib.machine_facts(pg))
    say(row_counts(pg))
    watch = benchlib.ForeignLoad(args.db)
    results, busy = {}, {}

    def part(key, heading, step):
        title(heading)
        watch.take()
        began = benchlib.clock()
        results[key] = step()
        cores = watch.take() / (benchlib.clock() - began)
        busy[key] = cores
        say(
            f"  [other processes on the machine used {cores:.2f} cores on average "
            "during this part]"
        )

    if not installed:
        part(
            "install",
            "install repeat_sales (odoo-bin -i repeat_sales --stop-after-init)",
            lambda: install_addon(args),
        )
        say(
            f"  installed in {results['install']['seconds']:.1f} s (process wall time, "
            "back-fill of every customer included)"
        )
        say("  " + row_counts(pg))
        part(
            "confirm",
            f"(c) confirm {args.sample_orders:,} orders one by one WITH repeat_sales "
            f"and the same orders WITHOUT it ({args.baseline_db}), in turn",
            lambda: run_phase(args, "confirm_pair", "pair"),
        )
        results["confirm_without"] = results["confirm"]["without"]
        results["confirm_with"] = results["confirm"]["with"]
        drop_database(args.baseline_db)
    else:
        say("repeat_sales is installed already: (c) without the addon is not measured")
        part(
            "confirm_with",
            f"(c) confirm {args.sample_orders:,} orders one by one WITH repeat_sales",
            lambda: run_phase(args, "confirm", "with"),
        )
    part(
        "recompute",
        "(a) full recompute (_recompute_all) vs its floor "
        "(CREATE TABLE AS the same SELECT)",
        lambda: run_phase(args, "recompute"),
    )
    part(
        "nightly",
        "(b) nightly run (_cron_daily_update)",
        lambda: run_phase(args, "nightly"),
    )
    watch.close()
    say("", row_counts(pg))
    cnx.close()
    ok = summary(results)
    noisy = [key for key, cores in busy.items() if cores > NOISY_CORES]
    if noisy:
        say(
            "WARNING: other processes were busy during "
            + ", ".join(f"{key} ({busy[key]:.2f} cores)" for key in noisy)
            + ": those timings are not reliable, run again on a quiet machine."
        )
    results["foreign_cores"] = busy
    benchlib.OUT_DIR.mkdir(exist_ok=True)
    with open(benchlib.OUT_DIR / "last-results.json", "w") as out:
        json.dump(results, out, indent=1)
    if args.strict and not ok:
        sys.exit(1)


def main(argv=None):
    args = parse_args(argv)
    if args.phase:
        run_phase_here(args)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
