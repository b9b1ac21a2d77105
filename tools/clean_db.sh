#!/usr/bin/env bash
# Drop the demo database (DB, default the series' demo database: repeat_sales_demo
# on Odoo 18.0, repeat_sales_demo_19 on 19.0) and any test database
# left behind by an interrupted tools/test.sh, with their filestores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${DB:-$DEMO_DB}"
check_db_name "$DB"

dbs=("$DB")
while IFS= read -r name; do
    pid="${name##*_}"
    # repeat_sales_test_<pid>: leave the database of a test run still going.
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        continue
    fi
    dbs+=("$name")
done < <("$PSQL" -X -d postgres -tAc "select datname from pg_database where datname ~ '^repeat_sales_test_[0-9]+$'")

for name in "${dbs[@]}"; do
    if db_exists "$name"; then
        drop_db "$name"
        echo "clean-db: dropped $name"
    else
        rm -rf "${ODOO_DATA_DIR:?}/filestore/$name"
    fi
done
