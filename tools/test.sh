#!/usr/bin/env bash
# Run the addon's test suite with pytest-odoo on a fresh database:
#   1. create database repeat_sales_test_<pid> and install the addon without demo data,
#   2. run pytest on the addon's tests (extra arguments go to pytest, e.g. -k name),
#   3. drop the database, whatever happened.
# Exits with pytest's status; "no tests collected" (5) is a failure too.
# The Odoo series is the one tools/setup.sh finds (ODOO_SRC picks 18.0 or 19.0).
#   ADDON=name               test another addon (default repeat_sales)
#   EXTRA_ADDONS_PATH=dirs   more addons directories (see tools/setup.sh)
#   DEMO=1                   install with demo data (the tests in tests/demo run
#                            only then; the others expect no demo data)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ADDON="${ADDON:-repeat_sales}"
DB="repeat_sales_test_$$"
check_db_name "$ADDON"

# The addon's directory: in the repository, else in EXTRA_ADDONS_PATH.
addon_dir=""
IFS=':,' read -r -a search_dirs <<<"$REPO_ROOT:${EXTRA_ADDONS_PATH:-}"
for dir in "${search_dirs[@]}"; do
    if [[ -n "$dir" && -f "$dir/$ADDON/__manifest__.py" ]]; then
        addon_dir="$(cd "$dir/$ADDON" && pwd -P)"
        break
    fi
done
if [[ -z "$addon_dir" ]]; then
    echo "test: addon $ADDON not found (no $ADDON/__manifest__.py in the repository or EXTRA_ADDONS_PATH)" >&2
    exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/repeat_sales_test.XXXXXX")"
created=0
cleanup() {
    if [[ "$created" == 1 ]]; then
        drop_db "$DB" 2>/dev/null || echo "test: could not drop database $DB (make clean-db drops it)" >&2
        created=0
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The tours talk to the HTTP server the run starts: give it a port of its own, so
# that a served `make run` or another test run on the machine is never reached.
free_port() { "$ODOO_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
test_conf="$work/odoo.conf"
grep -vE '^(http_port|gevent_port) *=' "$ODOO_CONF" >"$test_conf"
printf 'http_port = %s\ngevent_port = %s\n' "$(free_port)" "$(free_port)" >>"$test_conf"
ODOO_CONF="$test_conf"

# 18.0 installs demo data unless told not to, 19.0 only when asked.
demo_args=(--without-demo=all)
[[ "$ODOO_SERIES" == 18.0 ]] || demo_args=()
demo_label="without demo data"
if [[ "${DEMO:-0}" == 1 ]]; then
    demo_args=()
    [[ "$ODOO_SERIES" == 18.0 ]] || demo_args=(--with-demo)
    demo_label="with demo data"
fi
echo "test: Odoo $ODOO_SERIES ($ODOO_ROOT): installing $ADDON into a fresh database $DB ($demo_label)"
started=$SECONDS
created=1
install_log="$work/install.log"
install_ok=1
# 19.0 loads no demo data unless asked (and warns at --without-demo=all).
"$ODOO_PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDON" --stop-after-init \
    ${demo_args[@]+"${demo_args[@]}"} --logfile="$install_log" || install_ok=0
[[ "$(addon_state "$DB" "$ADDON")" == installed ]] || install_ok=0
# An install that logs an error is broken even when Odoo carries on.
if grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$install_log"; then
    install_ok=0
fi
# Odoo carries on without demo data when loading it fails, with a warning only.
if grep -qE ' WARNING .*demo data failed to install' "$install_log"; then
    grep -E -A 30 'demo data failed to install' "$install_log" | tail -n 30 >&2
    install_ok=0
fi
if [[ "$install_ok" != 1 ]]; then
    echo "----- errors and last lines of the install log -----" >&2
    grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$install_log" | head -n 20 >&2 || true
    echo "..." >&2
    tail -n 40 "$install_log" >&2
    echo "-----" >&2
    echo "test: FAILED: installing $ADDON into $DB failed" >&2
    exit 1
fi
echo "test: installed in $((SECONDS - started)) s; running pytest"

pytest_args=(-p no:cacheprovider "--odoo-database=$DB" "--odoo-config=$ODOO_CONF")
# HttpCase tests are skipped by pytest-odoo unless it starts Odoo's HTTP server.
if grep -rqs --include='*.py' HttpCase "$addon_dir/tests"; then
    pytest_args+=(--odoo-http)
fi

cd "$REPO_ROOT"
pytest_log="$work/pytest.log"
set +e
PYTHONPATH="$ODOO_ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    "$ODOO_PY" -m pytest "${pytest_args[@]}" "$addon_dir" "$@" 2>&1 | tee "$pytest_log"
status=${PIPESTATUS[0]}
set -e

summary="$(grep -E '^=+ .+ =+$' "$pytest_log" | tail -n 1 || true)"
cleanup
trap - EXIT
if [[ "$status" == 5 ]]; then
    echo "test: FAILED: pytest ran no tests" >&2
elif [[ "$status" != 0 ]]; then
    echo "test: FAILED: pytest exited with status $status" >&2
fi
echo "test: ran on Odoo $ODOO_SERIES"
[[ -z "$summary" ]] || echo "$summary"
exit "$status"
