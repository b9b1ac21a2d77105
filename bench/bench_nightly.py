#!/usr/bin/env python3
"""The nightly chain: every step's full run, then a night after a share of the
customers ordered, step by step.

    bench_nightly.py DB [--changed-share 0.01] [--seed 1]

DB has the addon installed on data made by generate.py (``bench/run.sh N M``
leaves ``repeat_sales_bench`` so). The chain runs as the cron runner runs it:
``_cron_run_chain`` called again and again, a commit after each call.

1. Full run: every step due, each in full (as on the first night after
   install): today's segment snapshot taken by the install is removed with
   the snapshot's state, so that the step computes it from every order; the
   value models are removed, so that they are fitted.
2. ``--changed-share`` of the customers get a new confirmed order (in SQL,
   written now), the clock moves one day ahead (freezegun): the daily steps
   are due again, the weekly ones (full recompute, mining) are not.
3. The table: each step's seconds in both runs and their ratio, next to the
   target of issue 19 (a night with 1% of customers changed costs each daily
   step at most 1/20 of its own full run).

The database is left modified (new orders, a night run): generate anew to
start over.
"""

import argparse
import time
from datetime import datetime, timedelta

import benchlib
from run import env_for, insert_new_orders

TARGET_SHARE = 1 / 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--changed-share", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="STEP",
        help="leave this step out of both runs (e.g. plan, whose first night "
        "carries out every follow-up due in the catch-up window)",
    )
    return parser.parse_args()


def run_chain(reg):
    """Run the chain to the end as the cron runner does; seconds per step."""
    with reg.cursor() as cr:
        calls = 0
        started = time.monotonic()
        while env_for(cr)["repeat.sales.nightly.step"]._cron_run_chain():
            cr.commit()
            calls += 1
        cr.commit()
        elapsed = time.monotonic() - started
        steps = env_for(cr)["repeat.sales.nightly.step"].search([])
        return (
            {
                step.key: (step.duration, step.batches, step.last_run_date)
                for step in steps
            },
            calls + 1,
            elapsed,
        )


def main():
    args = parse_args()
    reg = benchlib.registry(args.db)
    with reg.cursor() as cr:
        env = env_for(cr)
        steps = env["repeat.sales.nightly.step"].with_context(active_test=False)
        steps.search([]).last_run_date = False
        steps.search([]).active = True
        steps.search([("key", "in", args.without)]).active = False
        today = env["repeat.sales.nightly.step"]._fields["last_run_date"].today()
        env["repeat.sales.segment.snapshot"].search([("date", "=", today)]).unlink()
        env["repeat.sales.segment.move"].search([("date", "=", today)]).unlink()
        env["repeat.sales.segment.snapshot"]._set_state_marker({})
        env["repeat.sales.value.fit"].search([]).unlink()
        cr.commit()
        cr.execute("SELECT COUNT(*) FROM repeat_sales_partner_stat")
        rows = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM sale_order WHERE state = 'sale'")
        orders = cr.fetchone()[0]
    print(f"== nightly chain on {args.db}: {rows:,} figure rows, {orders:,} orders ==")

    full, calls, elapsed = run_chain(reg)
    print(f"full run: {elapsed:.1f} s in {calls} calls of the scheduled action")

    with reg.cursor() as cr:
        customers, inserted = insert_new_orders(
            cr, env_for(cr), args.changed_share, args.seed
        )
        cr.commit()
    print(
        f"{inserted:,} of {customers:,} customers ({100 * inserted / customers:.2f}%)"
        " got a new confirmed order; the clock moves one day ahead"
    )

    from freezegun import freeze_time

    with freeze_time(datetime.utcnow() + timedelta(days=1), tick=True):
        night, calls, elapsed = run_chain(reg)
    print(f"next night: {elapsed:.1f} s in {calls} calls of the scheduled action")

    print()
    print(f"{'step':<16}{'full s':>10}{'night s':>10}{'ratio':>8}  target <= 1/20")
    for key, (seconds, _batches, _day) in full.items():
        night_seconds, _night_batches, night_day = night[key]
        if night_day == full[key][2]:
            print(f"{key:<16}{seconds:>10.2f}{'(not due)':>10}")
            continue
        if not seconds:
            print(f"{key:<16}{seconds:>10.2f}{night_seconds:>10.2f}{'n/a':>8}")
            continue
        ratio = night_seconds / seconds
        verdict = "ok" if ratio <= TARGET_SHARE else "over"
        print(
            f"{key:<16}{seconds:>10.2f}{night_seconds:>10.2f}{ratio:>8.3f}  {verdict}"
        )
    for key in args.without:
        print(f"{key:<16}{'(left out)':>10}")
    with reg.cursor() as cr:
        steps = env_for(cr)["repeat.sales.nightly.step"].with_context(active_test=False)
        steps.search([("key", "in", args.without)]).active = True
        cr.commit()


if __name__ == "__main__":
    main()
