#!/usr/bin/env bash
# Serve Odoo with the addon on http://localhost:8069 (login admin / admin).
# The first run creates database $DB (default repeat_sales_demo on Odoo 18.0,
# repeat_sales_demo_19 on 19.0) with demo data
# and installs the addon; later runs reuse it.
# Usage: tools/run.sh [odoo-bin options...]
#   DB=name        another database
#   UPDATE=1       update the addon (-u) before serving, after changing its data
#   ADDON=name     install another addon (default repeat_sales)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${DB:-$DEMO_DB}"
ADDON="${ADDON:-repeat_sales}"
check_db_name "$DB"

odoo() { "$ODOO_PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" "$@"; }

if [[ "$(addon_state "$DB" "$ADDON")" != installed ]]; then
    if db_exists "$DB"; then
        echo "run: installing $ADDON into database $DB"
    else
        echo "run: creating database $DB with demo data and installing $ADDON on Odoo $ODOO_SERIES (a few minutes)"
    fi
    log="$ODOO_STATE_DIR/install-$DB.log"
    with_demo=() # 18.0 loads demo data into a new database by default, 19.0 on request
    [[ "$ODOO_SERIES" == 18.0 ]] || with_demo=(--with-demo)
    if ! odoo -i "$ADDON" --stop-after-init ${with_demo[@]+"${with_demo[@]}"} --logfile="$log" ||
        [[ "$(addon_state "$DB" "$ADDON")" != installed ]]; then
        echo "----- last lines of $log -----" >&2
        tail -n 40 "$log" >&2
        echo "run: installing $ADDON into $DB failed (log: $log)" >&2
        exit 1
    fi
elif [[ "${UPDATE:-0}" == 1 ]]; then
    echo "run: updating $ADDON in database $DB"
    odoo -u "$ADDON" --stop-after-init --log-level=warn
fi

echo "run: serving database $DB (Odoo $ODOO_SERIES) on http://localhost:8069 (login admin / admin; Ctrl-C stops)"
exec "$ODOO_PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^${DB//./\\.}\$" "$@"
