"""Concurrent order confirmations against the stamp ledger (issue 24, item 10).

Creates a stamp program (when the company has none), C customers (half of
them with a past order, so their cards exist ahead; the other half get their
card at their first order) and N x M quotations, committed. N clients confirm
M quotations each, all at once, every confirmation a request of its own in its
own transaction, run through Odoo's own ``retrying`` (what the RPC layer does:
a serialization failure is rolled back and retried). Each tenth order of a
client is cancelled again in the same request. The requests are served by W
worker processes (``--workers``, default one per client), each with its own
Odoo registry and cursors, as Odoo's prefork server serves its clients: the
clients' requests are interleaved in one queue the workers take them from.

It prints the confirmations per second, the serialization retries (per place:
the card creation, the card lock, the points write, elsewhere), the failed
requests, the confirmations whose stamps or figures were written after their
commit, and whether the ledger is exact: per card, points = sum of its lines =
whole part of its credit, credit = confirmed amount / amount per stamp, one
loyalty.history row per line, no order left marked; and whether the figures
are exact: per customer, the stored order count and revenue = its confirmed
orders.

Usage: python bench/bench_stamp_concurrency.py DB [--clients 8] [--orders 50]
       [--customers 40] [--workers W]
The database must have repeat_sales installed (without demo data).
"""

import argparse
import math
import multiprocessing
import queue as queue_module
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TAG = "Stamp bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--orders", type=int, default=50, help="per client")
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument(
        "--workers", type=int, default=0, help="processes serving (0: one per client)"
    )
    return parser.parse_args()


def prepare(db, args):
    """Program, customers and quotations, committed; returns the order ids."""
    from odoo import SUPERUSER_ID, api
    from odoo.fields import Command

    registry = benchlib.registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        program = env["loyalty.program"].search(
            [
                ("repeat_is_stamp_program", "=", True),
                ("company_id", "=", env.company.id),
            ]
        )
        program_id = program.id
        product = env["product.product"].create(
            {"name": f"{TAG} tile", "taxes_id": [], "lst_price": 37.0}
        )
        customers = env["res.partner"].create(
            [{"name": f"{TAG} {i}"} for i in range(args.customers)]
        )
        # Half the customers bought before: their cards are made ahead.
        past = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": 90.0})
                    ],
                }
                for partner in customers[: args.customers // 2]
            ]
        )
        past.action_confirm()
        customer_ids, product_id = customers.ids, product.id
    # The program comes after those orders (its own transaction).
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        customers = env["res.partner"].browse(customer_ids)
        product = env["product.product"].browse(product_id)
        if not program_id:
            program_id = (
                env["loyalty.program"]
                .create(
                    {
                        "name": f"{TAG} program",
                        "program_type": "loyalty",
                        "repeat_is_stamp_program": True,
                        "repeat_stamp_amount": 100.0,
                        "repeat_tier_ids": [Command.create({"name": "Member"})],
                    }
                )
                .id
            )
        # Customers drawn at random: every client confirms orders of any of them.
        draw = random.Random(1)
        quotations = env["sale.order"].create(
            [
                {
                    "partner_id": draw.choice(customers).id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "price_unit": 37.0 + i % 7}
                        )
                    ],
                }
                for i in range(args.clients * args.orders)
            ]
        )
        return program_id, quotations.ids


def worker(db, jobs, queue):
    """Serve requests from ``jobs`` until None: confirm the order (and cancel
    it again when asked), one transaction each."""
    import psycopg2

    from odoo import SUPERUSER_ID, api
    from odoo.service.model import retrying

    registry = benchlib.registry(db)
    # The addons path is known once the registry is loaded.
    from odoo.addons.repeat_sales import after_commit  # noqa: PLC0415

    retries = Counter()
    failed = 0
    after = Counter()
    run_committed = after_commit._run_committed

    def counted_run(registry, uid, context, model_name, method_name, ids):
        after[model_name] += 1
        return run_committed(registry, uid, context, model_name, method_name, ids)

    after_commit._run_committed = counted_run
    for order_id, cancel in iter(jobs.get, None):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def confirm(env=env, order_id=order_id, cancel=cancel):
                order = env["sale.order"].browse(order_id)
                try:
                    order.action_confirm()
                    if cancel:
                        order._action_cancel()
                    env.flush_all()
                except psycopg2.errors.SerializationFailure as error:
                    retries[where(error)] += 1
                    raise

            try:
                retrying(confirm, env)
            except Exception:  # noqa: BLE001 - counted and reported
                failed += 1
    queue.put((retries, failed, after))


def where(error):
    """Which statement met the serialization failure."""
    query = (error.cursor.query or b"").decode(errors="replace") if error.cursor else ""
    if "INSERT INTO loyalty_card" in query or 'INSERT INTO "loyalty_card"' in query:
        return "card creation"
    if "FOR NO KEY UPDATE" in query and "loyalty_card" in query:
        return "card lock"
    if 'UPDATE "loyalty_card"' in query:
        return "card points"
    return "elsewhere"


def check(db, program_id, order_ids):
    """Lines describing how exact the ledger is."""
    from odoo import SUPERUSER_ID, api

    registry = benchlib.registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        program = env["loyalty.program"].browse(program_id)
        orders = env["sale.order"].browse(order_ids)
        cards = env["loyalty.card"].search(
            [
                ("program_id", "=", program_id),
                ("partner_id", "in", orders.partner_id.ids),
            ]
        )
        wrong = []
        for card in cards:
            lines = card.repeat_stamp_line_ids
            # The bench's orders, and any earlier one that posted stamps.
            mine = (orders | lines.order_id).filtered(
                lambda order, card=card: order.partner_id == card.partner_id
            )
            confirmed = sum(
                order._repeat_company_amount() * (order.repeat_stamp_multiplier or 1.0)
                for order in mine
                if order.state == "sale"
            )
            credit = round(sum(lines.mapped("credit")), 4)
            expected = round(confirmed / program.repeat_stamp_amount, 4)
            stamps = sum(lines.mapped("stamps"))
            history = card.history_ids
            if not (
                card.points == stamps
                and stamps == math.floor(credit + 1e-9)
                and math.isclose(credit, expected, abs_tol=1e-6)
                and len(history) == len(lines)
                and set(history.ids) == set(lines.history_id.ids)
            ):
                wrong.append(
                    (card.partner_id.name, card.points, stamps, credit, expected)
                )
        duplicates = len(cards) - len(set(cards.partner_id.ids))
        pending = env["sale.order"].search_count(
            [("id", "in", order_ids), ("repeat_stamps_pending", "=", True)]
        )
        return cards, wrong, duplicates, pending, figures_wrong(env, orders)


def figures_wrong(env, orders):
    """Customers whose stored order count or revenue differ from their orders."""
    customers = orders.partner_id
    counted = env["sale.order"]._read_group(
        [
            *env["repeat.sales.order.facts"]._counted_domain(),
            ("partner_id", "in", customers.ids),
        ],
        ["partner_id"],
        ["__count", "amount_untaxed:sum"],
    )
    expected = {
        partner.id: (count, round(amount, 2)) for partner, count, amount in counted
    }
    stats = env["repeat.sales.partner.stat"].search(
        [("partner_id", "in", customers.ids)]
    )
    stored = {
        stat.partner_id.id: (stat.order_count, round(stat.revenue, 2)) for stat in stats
    }
    return [
        (partner.name, stored.get(partner.id), expected.get(partner.id))
        for partner in customers
        if stored.get(partner.id) != expected.get(partner.id)
    ]


def main():
    args = parse_args()
    program_id, order_ids = prepare(args.database, args)
    workers = args.workers or args.clients
    # Client i sends every clients-th order; a tenth of its orders are cancelled
    # again. The clients' requests reach the workers interleaved.
    requests = [
        [(order_id, position % 10 == 9) for position, order_id in enumerate(chunk)]
        for chunk in (order_ids[i :: args.clients] for i in range(args.clients))
    ]
    context = multiprocessing.get_context("spawn")
    jobs, queue = context.Queue(), context.Queue()
    for turn in range(args.orders):
        for client_requests in requests:
            if turn < len(client_requests):
                jobs.put(client_requests[turn])
    for _worker in range(workers):
        jobs.put(None)
    processes = [
        context.Process(target=worker, args=(args.database, jobs, queue))
        for _worker in range(workers)
    ]
    start = benchlib.clock()
    for process in processes:
        process.start()
    results = []
    while len(results) < len(processes):
        try:
            results.append(queue.get(timeout=10))
        except queue_module.Empty:
            if not any(process.is_alive() for process in processes):
                sys.exit("a worker died: see its traceback above")
    for process in processes:
        process.join()
    elapsed = benchlib.clock() - start
    retries = sum((result[0] for result in results), Counter())
    failed = sum(result[1] for result in results)
    after = sum((result[2] for result in results), Counter())
    cards, wrong, duplicates, pending, figures = check(
        args.database, program_id, order_ids
    )
    total = len(order_ids)
    cancelled = sum(cancel for client in requests for _order, cancel in client)
    print(
        f"{args.clients} clients x {args.orders} orders on {workers} workers, "
        f"{args.customers} customers: {total} confirmations ({cancelled} cancelled "
        f"again) in {elapsed:.1f} s ({total / elapsed:.1f}/s)"
    )
    print(
        f"serialization retries: {sum(retries.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(retries.items())) or 'none'}); "
        f"failed requests: {failed}"
    )
    print(
        "written after commit: "
        f"stamps {after['repeat.sales.stamp.line']} requests, "
        f"figures {after['repeat.sales.partner.stat']} requests"
    )
    print(
        f"ledger: {len(cards)} cards, {duplicates} duplicate cards, "
        f"{len(wrong)} cards not exact{': ' + repr(wrong[:5]) if wrong else ''}, "
        f"{pending} orders left marked"
    )
    print(
        f"figures: {len(figures)} customers not exact"
        f"{': ' + repr(figures[:5]) if figures else ''}"
    )
    return 1 if wrong or duplicates or failed or pending or figures else 0


if __name__ == "__main__":
    sys.exit(main())
