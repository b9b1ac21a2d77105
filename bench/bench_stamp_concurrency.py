"""Concurrent order confirmations against the stamp ledger (issue 24, item 10).

Creates a stamp program (when the company has none), C customers (half of
them with a past order, so their cards exist ahead; the other half get their
card at their first order) and N x M quotations, committed. Then N processes,
each with its own Odoo registry and cursors, confirm M quotations each, all at
once, every confirmation in its own transaction run through Odoo's own
``retrying`` (what the RPC layer does: a serialization failure is rolled back
and retried). Each tenth order is cancelled again.

It prints the confirmations per second, the serialization retries (per place:
the card creation, the card lock, the points write, elsewhere) and whether the
ledger is exact: per card, points = sum of its lines = whole part of its credit,
credit = confirmed amount / amount per stamp, one loyalty.history row per line.

Usage: python bench/bench_stamp_concurrency.py DB [--clients 8] [--orders 50]
       [--customers 40]
The database must have repeat_sales installed (without demo data).
"""

import argparse
import math
import multiprocessing
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


def client(db, order_ids, queue):
    """Confirm (and each tenth, cancel) these orders, one transaction each."""
    import psycopg2

    from odoo import SUPERUSER_ID, api
    from odoo.service.model import retrying

    registry = benchlib.registry(db)
    retries = Counter()
    failed = 0
    start = benchlib.clock()
    for position, order_id in enumerate(order_ids):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def confirm(env=env, order_id=order_id, position=position):
                order = env["sale.order"].browse(order_id)
                try:
                    order.action_confirm()
                    if position % 10 == 9:
                        order._action_cancel()
                    env.flush_all()
                except psycopg2.errors.SerializationFailure as error:
                    retries[where(error)] += 1
                    raise

            try:
                retrying(confirm, env)
            except Exception:  # noqa: BLE001 - counted and reported
                failed += 1
    queue.put((retries, failed, benchlib.clock() - start))


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
        return cards, wrong, duplicates


def main():
    args = parse_args()
    program_id, order_ids = prepare(args.database, args)
    chunks = [order_ids[i :: args.clients] for i in range(args.clients)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [
        context.Process(target=client, args=(args.database, chunk, queue))
        for chunk in chunks
    ]
    start = benchlib.clock()
    for process in processes:
        process.start()
    results = [queue.get() for _process in processes]
    for process in processes:
        process.join()
    elapsed = benchlib.clock() - start
    retries = sum((result[0] for result in results), Counter())
    failed = sum(result[1] for result in results)
    cards, wrong, duplicates = check(args.database, program_id, order_ids)
    total = len(order_ids)
    print(
        f"{args.clients} clients x {args.orders} orders on {args.customers} customers: "
        f"{total} confirmations ({total // 10} cancelled again) in {elapsed:.1f} s "
        f"({total / elapsed:.1f}/s)"
    )
    print(
        f"serialization retries: {sum(retries.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(retries.items())) or 'none'}); "
        f"failed requests: {failed}"
    )
    print(
        f"ledger: {len(cards)} cards, {duplicates} duplicate cards, "
        f"{len(wrong)} cards not exact{': ' + repr(wrong[:5]) if wrong else ''}"
    )
    return 1 if wrong or duplicates or failed else 0


if __name__ == "__main__":
    sys.exit(main())
