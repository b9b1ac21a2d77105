#!/usr/bin/env bash
# Benchmark of repeat_sales on a fresh database.
#
#   bench/run.sh [CUSTOMERS] [ORDERS]        defaults: 1000000 5000000
#   bench/run.sh 10000 50000                 quick check (a few minutes)
#
# Creates the database $BENCH_DB (default repeat_sales_bench; dropped first if it
# exists), installs the addon's dependencies (sale_management, sale_loyalty,
# mail: so that (c) without the addon measures Odoo as the addon finds it),
# fills it with generate.py, then run.py
# measures (c) without the addon, installs repeat_sales (timed: it back-fills
# every customer), measures (c) with it, (a) and (b). Everything printed also
# goes to bench/out/last-run.txt. Extra options for run.py: $BENCH_RUN_ARGS.
# PostgreSQL: $PGHOST (127.0.0.1), $PGPORT (5432), $PGUSER (root).
set -euo pipefail

CUSTOMERS=${1:-1000000}
ORDERS=${2:-5000000}
DB=${BENCH_DB:-repeat_sales_bench}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
if [ -x "$REPO/.venv/bin/python" ]; then PY="$REPO/.venv/bin/python"; else PY=python3; fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-root}
OUT="$HERE/out"
mkdir -p "$OUT"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

main() {
    echo "== bench/run.sh: $CUSTOMERS customers, $ORDERS orders, database $DB ($(date '+%Y-%m-%d %H:%M')) =="
    echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" status --porcelain -- repeat_sales 2>/dev/null | grep -q . && echo ' (repeat_sales has uncommitted changes)')"
    ODOO_ROOT=$("$PY" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
    ODOO=("$PY" "$ODOO_ROOT/odoo-bin" -d "$DB" --db_host "$PGHOST" --db_port "$PGPORT"
          --db_user "$PGUSER" "--addons-path=$ODOO_ROOT/addons,$REPO")

    # The addon's dependencies, from its manifest.
    local depends
    depends=$("$PY" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' \
        "$REPO/repeat_sales/__manifest__.py")
    echo; echo "== fresh database $DB with the addon's dependencies: $depends =="
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
    local start; start=$(now)
    if ! "${ODOO[@]}" -i "$depends" --stop-after-init --without-demo=all --log-level=warn \
            > "$OUT/install-dependencies.log" 2>&1; then
        tail -n 30 "$OUT/install-dependencies.log"
        echo "installing $depends failed" >&2
        return 1
    fi
    echo "  installed $depends in $(since "$start") s"

    echo; echo "== generate.py =="
    "$PY" "$HERE/generate.py" "$DB" --customers "$CUSTOMERS" --orders "$ORDERS"

    # shellcheck disable=SC2086  # BENCH_RUN_ARGS holds several options
    "$PY" "$HERE/run.py" "$DB" ${BENCH_RUN_ARGS:-}
    echo; echo "total: $(since "$RUN_START") s"
}

RUN_START=$(now)
main 2>&1 | tee "$OUT/last-run.txt"
