#!/usr/bin/env bash
# Serve Odoo with the addon on http://localhost:8069 (login admin / admin).
# The first run creates database $DB (default repeat_sales_demo) with demo data
# and installs the addon; later runs reuse it.
# Usage: tools/run.sh [odoo-bin options...]
#   DB=name        another database
#   UPDATE=1       update the addon (-u) before serving, after changing its data
#   ADDON=name     install another addon (default repeat_sales)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${DB:-repeat_sales_demo}"
ADDON="${ADDON:-repeat_sales}"
check_db_name "$DB"

odoo() { "$ODOO_PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" "$@"; }

if [[ "$(addon_state "$DB" "$ADDON")" != installed ]]; then
    if db_exists "$DB"; then
        echo "run: installing $ADDON into database $DB"
    else
        echo "run: creating database $DB with demo data and installing $ADDON (a few minutes)"
    fi
    log="$REPO_ROOT/.odoo/install-$DB.log"
    if ! odoo -i "$ADDON" --stop-after-init --logfile="$log" ||
        [[ "$(addon_state "$DB" "$ADDON")" != installed ]]; then
        echo "----- last lines of $log -----" >&2
        tail -n 40 "$log" >&2
        echo "run: installing $ADDON into $DB failed (log: .odoo/install-$DB.log)" >&2
        exit 1
    fi
elif [[ "${UPDATE:-0}" == 1 ]]; then
    echo "run: updating $ADDON in database $DB"
    odoo -u "$ADDON" --stop-after-init --log-level=warn
fi

echo "run: serving database $DB on http://localhost:8069 (login admin / admin; Ctrl-C stops)"
exec "$ODOO_PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^${DB//./\\.}\$" "$@"
