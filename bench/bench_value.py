"""Benchmark of the customer value model (BG/NBD + Gamma-Gamma) at scale.

Draws N customers' (frequency, recency, age, mean repeat value) in numpy from
the models' own generative process, in days over 3 years, then times what the
nightly fit does after reading the orders: the distinct rows, both fits, the
scoring of every customer and the encoding of the arrays written back in one
UPDATE. With --db it also runs that UPDATE on a scratch table of N rows. With
lifetimes installed, its BetaGeoFitter and GammaGammaFitter fit the same data
in the same run.

    .venv/bin/python bench/bench_value.py [--customers 1000000] [--seed 1]
        [--db DB] [--lifetimes]
"""

import argparse
import importlib.util
import resource
import sys
import time

import numpy as np
from benchlib import REPO_DIR, pg_settings

VALUE_DIR = REPO_DIR / "repeat_sales" / "models" / "value"


def load(name):
    """A module of the addon's value folder that does not import Odoo."""
    spec = importlib.util.spec_from_file_location(name, VALUE_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lifetime_math = load("lifetime_math")
arrays = load("arrays")

# Truth of the draw, per day (CDNOW's alpha in weeks is 4.414): about 5
# orders per customer in all, as the engine's benchmark base has.
TRUE_BGNBD = (0.55, 28.0, 0.79, 2.43)
TRUE_GAMMA_GAMMA = (6.25, 3.74, 15.44)
HISTORY_DAYS = 3 * 365


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def draw(customers, seed):
    """(frequency, recency days, age days, mean repeat value) per customer."""
    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUE_BGNBD
    age = rng.integers(0, HISTORY_DAYS, customers).astype(float)
    rate = rng.gamma(r, 1 / alpha, customers)
    drop = rng.beta(a, b, customers)
    # repeat purchases before dropping out (after a repeat purchase only)
    lifetime_repeats = rng.geometric(drop)
    arrivals = rng.poisson(rate * age)
    frequency = np.minimum(lifetime_repeats, arrivals)
    # the x-th of K uniform arrivals on [0, age]
    has = frequency > 0
    position = np.zeros(customers)
    position[has] = rng.beta(frequency[has], arrivals[has] - frequency[has] + 1)
    recency = np.floor(position * age)
    p, q, v = TRUE_GAMMA_GAMMA
    spend_rate = rng.gamma(q, 1 / v, customers)
    mean_value = np.zeros(customers)
    mean_value[has] = rng.gamma(
        p * frequency[has], 1 / (frequency[has] * spend_rate[has])
    )
    mean_value = np.round(mean_value, 2)
    return frequency.astype(float), recency, age, mean_value


def timed(label, function, *args):
    """Run and print wall and CPU seconds (CPU: this process only; on a
    shared machine the wall clock also counts the others' work)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    seconds = time.perf_counter() - started
    print(
        f"{label:<44} {seconds:8.2f} s  (CPU {time.process_time() - cpu:6.2f} s)"
        f"   peak RSS {peak_mb():7.0f} MB",
        flush=True,
    )
    return result, seconds


def fit_like_the_addon(frequency, recency, age, mean_value):
    rows, counts, _inverse = lifetime_math.distinct_rows(frequency, recency, age)
    print(f"  distinct (frequency, recency, age) rows: {len(rows):,}")
    days = lifetime_math.DAYS_PER_UNIT
    purchases = lifetime_math.fit_bgnbd(
        rows[:, 0], rows[:, 1] / days, rows[:, 2] / days, counts
    )
    used = (frequency > 0) & (mean_value > 0)
    print(f"  Gamma-Gamma on {used.sum():,} customers, one row each")
    values = lifetime_math.fit_gamma_gamma(
        frequency[used], mean_value[used], np.ones(used.sum())
    )
    return purchases, values


def write_back(db, partner_ids, figures):
    """The addon's UPDATE … FROM unnest on a scratch table of the same shape
    (a table of the database, rolled back: temporary tables live in a few MB
    of local buffers and would measure the disk)."""
    import psycopg2

    columns = ("p_alive", "e30", "e90", "e365", "value", "clv", "leaving")
    connection = psycopg2.connect(dbname=db, **pg_settings())
    with connection, connection.cursor() as cr:
        cr.execute(
            """CREATE TABLE stat (id serial PRIMARY KEY, partner_id int,
               company_id int, p_alive float8, e30 float8, e90 float8,
               e365 float8, value numeric, clv numeric, leaving boolean)
               WITH (fillfactor = 90)"""
        )
        cr.execute(
            "INSERT INTO stat (partner_id, company_id) "
            "SELECT g, 1 FROM generate_series(1, %s) g",
            (len(partner_ids),),
        )
        cr.execute("CREATE UNIQUE INDEX ON stat (partner_id, company_id)")
        cr.execute("ANALYZE stat")
        # the floor: every row rewritten with constants
        started = time.perf_counter()
        cr.execute(
            "UPDATE stat SET (p_alive, e30, e90, e365, value, clv, leaving)"
            " = (0.5, 0.1, 0.2, 0.3, 10.5, 20.5, false)"
        )
        print(
            f"{'write back floor: UPDATE all rows to constants':<44} "
            f"{time.perf_counter() - started:8.2f} s",
            flush=True,
        )
        started, cpu = time.perf_counter(), time.process_time()
        texts = [arrays.pg_array(partner_ids)] + [arrays.pg_array(f) for f in figures]
        encoded = time.perf_counter() - started
        encoded_cpu = time.process_time() - cpu
        names = ", ".join(columns)
        figures_sql = ", ".join(
            f"NULLIF(figures.{name}, 'NaN')" if name != "leaving" else "figures.leaving"
            for name in columns
        )
        types = ["int[]"] + ["float8[]"] * 6 + ["boolean[]"]
        unnest = ", ".join(f"%s::{kind}" for kind in types)
        started = time.perf_counter()
        cr.execute("SET LOCAL work_mem = '256MB'")  # as the addon does
        cr.execute(
            f"""UPDATE stat SET ({names}) = ({figures_sql})
                  FROM stat target
             LEFT JOIN unnest({unnest}) AS figures(partner_id, {names})
                    ON figures.partner_id = target.partner_id
                 WHERE target.company_id = 1 AND stat.id = target.id""",
            texts,
        )
        print(
            f"{'write back: encode the arrays':<44} {encoded:8.2f} s"
            f"  (CPU {encoded_cpu:6.2f} s)\n"
            f"{'write back: one UPDATE of ' + format(cr.rowcount, ',') + ' rows':<44} "
            f"{time.perf_counter() - started:8.2f} s   peak RSS {peak_mb():7.0f} MB",
            flush=True,
        )
        connection.rollback()


def run_lifetimes(frequency, recency, age, mean_value, ours):
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    days = lifetime_math.DAYS_PER_UNIT
    bgf = BetaGeoFitter()
    _none, bg_seconds = timed(
        "lifetimes BetaGeoFitter.fit (per customer)",
        bgf.fit,
        frequency,
        recency / days,
        age / days,
    )
    params = bgf.params_
    print(
        "  lifetimes r, alpha, a, b = "
        + ", ".join(f"{params[k]:.4f}" for k in ("r", "alpha", "a", "b"))
    )
    used = (frequency > 0) & (mean_value > 0)
    ggf = GammaGammaFitter()
    _none, gg_seconds = timed(
        "lifetimes GammaGammaFitter.fit",
        ggf.fit,
        frequency[used],
        mean_value[used],
    )
    params = ggf.params_
    print("  lifetimes p, q, v = " + ", ".join(f"{params[k]:.4f}" for k in "pqv"))
    return bg_seconds, gg_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a database to time the write-back in")
    parser.add_argument("--lifetimes", action="store_true")
    args = parser.parse_args()

    (frequency, recency, age, mean_value), _s = timed(
        f"draw {args.customers:,} customers", draw, args.customers, args.seed
    )
    orders = int(frequency.sum()) + args.customers
    print(f"  {orders:,} purchase days, {(frequency > 0).mean():.0%} repeat customers")
    (purchases, values), fit_seconds = timed(
        "fit (distinct rows, BG/NBD, Gamma-Gamma)",
        fit_like_the_addon,
        frequency,
        recency,
        age,
        mean_value,
    )
    for name, result, _truth in (
        ("BG/NBD r, alpha, a, b (alpha per week)", purchases, TRUE_BGNBD),
        ("Gamma-Gamma p, q, v", values, TRUE_GAMMA_GAMMA),
    ):
        print(
            f"  {name}: "
            + ", ".join(f"{value:.4f}" for value in result.params)
            + f"   converged {result.converged}, {result.iterations} iterations,"
            f" log-likelihood {result.log_likelihood:.1f}"
        )
    print(f"  truth per day: {TRUE_BGNBD}, {TRUE_GAMMA_GAMMA}")
    figures, score_seconds = timed(
        "score every customer (7 figures)",
        lifetime_math.score,
        purchases.params,
        values.params,
        frequency,
        recency,
        age,
        mean_value,
        0.10,
    )
    for name, column in zip(
        ("p_alive", "30d", "90d", "365d", "value", "clv"), figures[:6], strict=True
    ):
        if not np.all(np.isfinite(column)):
            sys.exit(f"{name}: {np.sum(~np.isfinite(column))} values not finite")
    print(f"  every figure finite; mean clv_12m {figures[5].mean():.2f}")
    if args.db:
        write_back(args.db, np.arange(1, args.customers + 1), figures)
    if args.lifetimes:
        bg_seconds, gg_seconds = run_lifetimes(
            frequency, recency, age, mean_value, purchases
        )
        ratio = (bg_seconds + gg_seconds) / fit_seconds
        print(f"lifetimes / ours, both fits: {ratio:.1f}x")


if __name__ == "__main__":
    main()
