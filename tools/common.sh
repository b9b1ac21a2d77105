# shellcheck shell=bash
# Sourced by the tools: runs tools/setup.sh (fast when nothing changed; options
# in the array SETUP_ARGS), then loads the env.sh of the Odoo series it found
# (.odoo/env.sh for 18.0, .odoo-19.0/env.sh for 19.0) and defines a few
# PostgreSQL helpers.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$("$REPO_ROOT/tools/setup.sh" --print-env ${SETUP_ARGS[@]+"${SETUP_ARGS[@]}"})"
# shellcheck source=/dev/null
source "$ENV_FILE"
export PGHOST PGPORT PGUSER

# Odoo's own rule for database names; also keeps them safe inside SQL literals.
check_db_name() {
    if [[ ! "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]]; then
        echo "invalid database name '$1' (letters, digits, '_', '.', '-')" >&2
        exit 2
    fi
}

db_exists() {
    [[ "$("$PSQL" -X -d postgres -tAc "select 1 from pg_database where datname = '$1'")" == 1 ]]
}

# State of an addon in a database ('installed', 'uninstalled', ...), empty if unknown.
addon_state() {
    "$PSQL" -X -d "$1" -tAc "select state from ir_module_module where name = '$2'" 2>/dev/null || true
}

# Drop a database (closing its connections) and its Odoo filestore.
drop_db() {
    "$PSQL" -X -q -d postgres -c "drop database if exists \"$1\" with (force)" >/dev/null
    rm -rf "${ODOO_DATA_DIR:?}/filestore/$1"
}
