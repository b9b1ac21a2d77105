#!/usr/bin/env bash
# Prepare everything the other tools need, reusing whatever already exists:
#   1. find Odoo 18.0 or 19.0 ($ODOO_SRC, else the `odoo` python3 imports, else a
#      shallow clone of Odoo 18.0 into .odoo/src); the series found picks the
#      local folders: .venv and .odoo for 18.0, .venv-19.0 and .odoo-19.0 for
#      19.0, so both series live side by side,
#   2. a virtualenv there (with the system site-packages, and those of $PYTHON's
#      own virtualenv if it runs in one) able to run it,
#   3. a PostgreSQL role that can create databases ($PGHOST/$PGPORT/$PGUSER, else
#      a private cluster in .pgdata),
#   4. odoo.conf and env.sh in the series' folder, which the other scripts source.
#
# Usage: tools/setup.sh [--no-db | --stop-pg | --print-env]
#   --no-db      skip PostgreSQL (all that lint needs)
#   --stop-pg    only stop the private cluster in .pgdata, if it runs
#   --print-env  print the path of the series' env.sh on stdout (for tools/common.sh)
# Environment: ODOO_SRC, PYTHON (default python3), PGHOST, PGPORT, PGUSER,
#   PGPASSWORD, PRIVATE_PGPORT (default 5433), EXTRA_ADDONS_PATH (more addons
#   directories, separated by ':' or ',').
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO_ROOT/.odoo" # of the default series; moved once the series is known
PGDATA_DIR="$REPO_ROOT/.pgdata"
PYTHON="${PYTHON:-python3}"
ODOO_SERIES="18.0" # the default, cloned when no Odoo is found
SUPPORTED_SERIES="18.0 19.0"
ODOO_GIT_URL="https://github.com/odoo/odoo.git"
PRIVATE_PGPORT="${PRIVATE_PGPORT:-5433}"
PRIVATE_PGUSER="odoo"
CLUSTER_OWNER="repeatsales" # system user that owns the private cluster when run as root

WITH_DB=1
MODE=setup
PRINT_ENV=0
for arg in "$@"; do
    case "$arg" in
    --no-db) WITH_DB=0 ;;
    --stop-pg) MODE=stop-pg ;;
    --print-env) PRINT_ENV=1 ;;
    *)
        echo "usage: tools/setup.sh [--no-db | --stop-pg | --print-env]" >&2
        exit 2
        ;;
    esac
done

say() { printf 'setup: %s\n' "$*" >&2; }
die() {
    local code="$1"
    shift
    printf 'setup: %s\n' "$*" >&2
    exit "$code"
}
# Print the end of a log file after a failed step.
show_log() {
    if [[ -s "$1" ]]; then
        echo "----- last lines of $1 -----" >&2
        tail -n "${2:-30}" "$1" >&2
        echo "-----" >&2
    fi
}
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; } # quote for a shell file

mkdir -p "$STATE_DIR"

# PostgreSQL helpers (used in part 3)
pg_tool() { # path of a PostgreSQL program, from PATH or the newest Debian install
    local found
    if found="$(command -v "$1" 2>/dev/null)"; then
        echo "$found"
        return 0
    fi
    found="$(printf '%s\n' /usr/lib/postgresql/*/bin/"$1" | sort -V | tail -n 1)"
    [[ -x "$found" ]] && echo "$found"
}

install_postgres() {
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        die 2 "PostgreSQL programs ($1) are missing: install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql), or point PGHOST/PGPORT/PGUSER at a running server."
    fi
    say "installing PostgreSQL with apt-get (log: .odoo/apt.log)"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >"$STATE_DIR/apt.log" 2>&1; then
        show_log "$STATE_DIR/apt.log" 15
        die 2 "apt-get install postgresql failed: install PostgreSQL by hand."
    fi
}

need_pg_tool() { # $1 program: prints its path, installing PostgreSQL if needed
    local found
    found="$(pg_tool "$1" || true)"
    if [[ -z "$found" ]]; then
        install_postgres "$1" >&2
        found="$(pg_tool "$1" || true)"
        [[ -n "$found" ]] || die 2 "$1 is still missing after installing PostgreSQL."
    fi
    echo "$found"
}

run_as_owner() { # run a command as the owner of the private cluster
    if [[ "$(id -u)" != 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$CLUSTER_OWNER" -- "$@"
    else
        su -s /bin/sh "$CLUSTER_OWNER" -c "$(printf '%q ' "$@")"
    fi
}

# Start (creating it first if needed) the private cluster in .pgdata; sets PG*.
private_cluster() {
    local initdb pg_ctl data="$PGDATA_DIR/data" log="$PGDATA_DIR/server.log" port
    initdb="$(need_pg_tool initdb)"
    pg_ctl="$(need_pg_tool pg_ctl)"
    mkdir -p "$PGDATA_DIR"
    if [[ "$(id -u)" == 0 ]]; then
        # initdb and postgres refuse to run as root: the cluster belongs to a system user.
        if ! id -u "$CLUSTER_OWNER" >/dev/null 2>&1; then
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$CLUSTER_OWNER" ||
                die 2 "could not create the system user $CLUSTER_OWNER that owns the private PostgreSQL cluster."
        fi
        chown -R "$CLUSTER_OWNER:" "$PGDATA_DIR"
        run_as_owner test -w "$PGDATA_DIR" ||
            die 2 "user $CLUSTER_OWNER cannot reach $PGDATA_DIR (a parent folder is not searchable by others): chmod o+x the parent folders, or point PGHOST/PGPORT/PGUSER at a running server."
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
        say "creating a private PostgreSQL cluster in .pgdata (role $PRIVATE_PGUSER, trust auth)"
        rm -rf "$data"
        if ! run_as_owner "$initdb" -D "$data" -U "$PRIVATE_PGUSER" --auth=trust \
            --encoding=UTF8 --locale=C --no-sync >"$PGDATA_DIR/initdb.log" 2>&1; then
            show_log "$PGDATA_DIR/initdb.log" 15
            die 1 "initdb failed (log: .pgdata/initdb.log)."
        fi
        # A throwaway development cluster: TCP on loopback only, no socket, no fsync.
        cat >>"$data/postgresql.conf" <<'EOF'

# repeat_sales private development cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    if run_as_owner "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
        port="$(sed -n 4p "$data/postmaster.pid")"
    else
        port="$PRIVATE_PGPORT"
        if ! run_as_owner "$pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-p $port" start >/dev/null 2>&1; then
            show_log "$log" 15
            die 1 "the private PostgreSQL cluster in .pgdata did not start on port $port (log: .pgdata/server.log); if that port is taken, set PRIVATE_PGPORT."
        fi
    fi
    PGHOST=127.0.0.1
    PGPORT="$port"
    PGUSER="$PRIVATE_PGUSER"
    PRIVATE_PG=1
}

if [[ "$MODE" == stop-pg ]]; then
    if [[ -f "$PGDATA_DIR/data/postmaster.pid" ]] && pg_ctl="$(pg_tool pg_ctl)"; then
        run_as_owner "$pg_ctl" -D "$PGDATA_DIR/data" -m fast -w stop >/dev/null
        say "stopped the private PostgreSQL cluster in .pgdata"
    else
        say "the private PostgreSQL cluster in .pgdata is not running"
    fi
    exit 0
fi

# --------------------------------------------------------------------------
# 1. Odoo 18.0
# --------------------------------------------------------------------------
HOW_TO_GET_ODOO="Point ODOO_SRC at an Odoo 18.0 or 19.0 source tree (ODOO_SRC=/path/to/odoo-19.0 make setup), or install Odoo ${ODOO_SERIES} into ${PYTHON}."

is_odoo_root() { [[ -f "$1/odoo-bin" && -f "$1/odoo/release.py" ]]; }

# "18.0" from odoo/release.py's version_info, without importing anything.
odoo_series_of() {
    sed -n 's/^version_info *= *( *\([0-9][0-9]*\) *, *\([0-9][0-9]*\).*/\1.\2/p' "$1/odoo/release.py" | head -n 1
}

# Source root of the `odoo` package that $PYTHON would import (found without importing it).
importable_odoo_root() {
    command -v "$PYTHON" >/dev/null 2>&1 || return 1
    (cd / && "$PYTHON" -c '
import importlib.util, os, sys
spec = importlib.util.find_spec("odoo")
if spec is None or not spec.submodule_search_locations:
    sys.exit(1)
print(os.path.dirname(os.path.realpath(list(spec.submodule_search_locations)[0])))
' 2>/dev/null)
}

clone_odoo() {
    local dest="$STATE_DIR/src" log="$STATE_DIR/clone.log"
    command -v git >/dev/null 2>&1 || die 2 "No Odoo ${ODOO_SERIES} found and git is missing to fetch it. ${HOW_TO_GET_ODOO}"
    say "no Odoo found; cloning Odoo ${ODOO_SERIES} into .odoo/src (shallow, a few minutes)"
    rm -rf "$dest" "$dest.partial"
    if ! git clone --quiet --depth 1 --branch "$ODOO_SERIES" "$ODOO_GIT_URL" "$dest.partial" >"$log" 2>&1; then
        rm -rf "$dest.partial"
        die 2 "No Odoo ${ODOO_SERIES} found, and cloning ${ODOO_GIT_URL} failed ($(tail -n 1 "$log")). ${HOW_TO_GET_ODOO}"
    fi
    mv "$dest.partial" "$dest"
}

if [[ -n "${ODOO_SRC:-}" ]]; then
    is_odoo_root "$ODOO_SRC" || die 2 "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (it needs odoo-bin and odoo/release.py). ${HOW_TO_GET_ODOO}"
    ODOO_ROOT="$(cd "$ODOO_SRC" && pwd -P)"
    ODOO_FROM="ODOO_SRC"
elif ODOO_ROOT="$(importable_odoo_root)" && is_odoo_root "$ODOO_ROOT"; then
    ODOO_FROM="$PYTHON"
else
    is_odoo_root "$STATE_DIR/src" || clone_odoo
    ODOO_ROOT="$(cd "$STATE_DIR/src" && pwd -P)"
    ODOO_FROM="the clone in .odoo/src"
fi
found_series="$(odoo_series_of "$ODOO_ROOT")"
[[ " $SUPPORTED_SERIES " == *" ${found_series:-none} "* ]] ||
    die 2 "The Odoo found through ${ODOO_FROM} ($ODOO_ROOT) is version ${found_series:-unknown}, not one of ${SUPPORTED_SERIES}. ${HOW_TO_GET_ODOO}"
ODOO_SERIES="$found_series"
# Per-series folders; the default series keeps the plain names.
if [[ "$ODOO_SERIES" == 18.0 ]]; then
    VENV="$REPO_ROOT/.venv"
else
    STATE_DIR="$REPO_ROOT/.odoo-$ODOO_SERIES"
    VENV="$REPO_ROOT/.venv-$ODOO_SERIES"
fi
mkdir -p "$STATE_DIR"
VENV_NAME="$(basename "$VENV")"
DEMO_DB="repeat_sales_demo" # tools/run.sh's database; one per series on a shared server
[[ "$ODOO_SERIES" == 18.0 ]] || DEMO_DB="repeat_sales_demo_${ODOO_SERIES%%.*}"
STATE_NAME="$(basename "$STATE_DIR")"

# --------------------------------------------------------------------------
# 2. Virtualenv
# --------------------------------------------------------------------------
VENV_PY="$VENV/bin/python"
PIP_LOG="$STATE_DIR/pip.log"
STAMP="$VENV/.repeat_sales_setup_stamp"

pip_install() {
    if ! "$VENV_PY" -m pip install --disable-pip-version-check "$@" >>"$PIP_LOG" 2>&1; then
        show_log "$PIP_LOG" 25
        die 1 "pip install $* failed (full log: $STATE_NAME/pip.log)"
    fi
}

if [[ -x "$VENV_PY" ]] && ! "$VENV_PY" -c 'import sys' >/dev/null 2>&1; then
    say "the virtualenv in $VENV_NAME is broken (its python moved?); recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV_PY" ]]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die 2 "$PYTHON not found: install Python 3.10+ (Odoo ${ODOO_SERIES} runs on 3.10 to 3.12)."
    say "creating $VENV_NAME for Odoo $ODOO_SERIES (with the system site-packages)"
    if ! "$PYTHON" -m venv --system-site-packages "$VENV" >"$STATE_DIR/venv.log" 2>&1; then
        rm -rf "$VENV"
        show_log "$STATE_DIR/venv.log" 10
        die 2 "'$PYTHON -m venv' failed: install the venv module (Debian: apt-get install python3-venv)."
    fi
    # A $PYTHON that runs in a virtualenv lends its packages too, as the system does.
    parent_site="$(cd / && "$PYTHON" -c '
import sys, sysconfig
if sys.prefix != sys.base_prefix:
    print(sysconfig.get_paths()["purelib"])
')"
    if [[ -n "$parent_site" ]]; then
        echo "$parent_site" >"$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/parent-venv.pth"
    fi
fi

stamp_value="$(
    {
        cat "$REPO_ROOT/requirements-dev.txt"
        echo "$ODOO_ROOT"
        "$VENV_PY" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
)"

# Odoo as the venv imports it, with its source root first on the path as the tools run it.
venv_odoo_root() {
    (cd / && PYTHONPATH="$ODOO_ROOT" "$VENV_PY" -c '
import os, odoo
# 19.0 makes odoo a namespace package that imports without its requirements:
# its command line needs them (babel first), as the 18.0 package does.
import odoo.cli
# 19.0 makes odoo a namespace package: no __file__, its first path counts.
print(os.path.dirname(os.path.realpath(list(odoo.__path__)[0])))
' 2>/dev/null)
}

if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$stamp_value" ]]; then
    : >"$PIP_LOG"
    if [[ "$(venv_odoo_root || true)" != "$ODOO_ROOT" ]]; then
        say "installing Odoo's Python requirements into $VENV_NAME (log: $STATE_NAME/pip.log)"
        "$VENV_PY" -c 'import packaging' >/dev/null 2>&1 || pip_install packaging
        odoo_reqs="$STATE_DIR/odoo-requirements.txt"
        "$VENV_PY" "$REPO_ROOT/tools/odoo_requirements.py" "$ODOO_ROOT/requirements.txt" >"$odoo_reqs"
        echo "zope.interface" >>"$odoo_reqs" # gevent needs it and does not declare it everywhere
        pip_install -r "$odoo_reqs"
        site_dir="$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
        echo "$ODOO_ROOT" >"$site_dir/odoo-src.pth"
        if [[ "$(venv_odoo_root || true)" != "$ODOO_ROOT" ]]; then
            (cd / && PYTHONPATH="$ODOO_ROOT" "$VENV_PY" -c 'import odoo') >>"$PIP_LOG" 2>&1 || true
            show_log "$PIP_LOG" 15
            die 1 "Odoo at $ODOO_ROOT still does not import in $VENV_NAME after installing its requirements."
        fi
    fi
    say "installing requirements-dev.txt into $VENV_NAME (log: $STATE_NAME/pip.log)"
    pip_install -r "$REPO_ROOT/requirements-dev.txt"
    echo "$stamp_value" >"$STAMP"
fi

# --------------------------------------------------------------------------
# 2b. Node.js for the XML formatting hook (prettier, installed by pre-commit)
# --------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        say "installing Node.js for the XML formatting hook (Debian packages nodejs npm)"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq nodejs npm; } >"$STATE_DIR/node-install.log" 2>&1; then
            die 2 "could not install Node.js: see $STATE_DIR/node-install.log"
        fi
    else
        say "Node.js and npm are missing: make lint will fail until they are installed (Debian: apt-get install nodejs npm); it formats the XML with prettier"
    fi
fi

# --------------------------------------------------------------------------
# 3. PostgreSQL
# --------------------------------------------------------------------------
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-$(id -un)}"
PRIVATE_PG=0
PSQL=""
if [[ "$WITH_DB" == 1 ]]; then
    [[ "$PGUSER" != postgres ]] ||
        die 2 "Odoo refuses to connect as the PostgreSQL superuser 'postgres': set PGUSER to another role that can create databases (as postgres: createuser --createdb NAME)."
    PSQL="$(need_pg_tool psql)"
    pg_isready="$(need_pg_tool pg_isready)"
    ready=2
    for _ in 1 2 3 4 5; do
        ready=0
        "$pg_isready" -q -h "$PGHOST" -p "$PGPORT" -t 3 || ready=$?
        [[ "$ready" == 1 ]] || break # 1 = starting up: wait a little
        sleep 1
    done
    if [[ "$ready" != 0 ]]; then
        say "no PostgreSQL server answers at $PGHOST:$PGPORT; using the private cluster in .pgdata (127.0.0.1:$PRIVATE_PGPORT)"
        private_cluster
    fi
    export PGHOST PGPORT PGUSER
    if ! can_create="$("$PSQL" -X -d postgres -tAc \
        "select rolsuper or rolcreatedb from pg_roles where rolname = current_user" 2>"$STATE_DIR/psql.err")"; then
        die 2 "cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER: $(head -n 1 "$STATE_DIR/psql.err"). Create that role (as postgres: createuser --createdb $PGUSER) or set PGUSER/PGPASSWORD."
    fi
    [[ "$can_create" == t ]] ||
        die 2 "PostgreSQL role $PGUSER at $PGHOST:$PGPORT cannot create databases: grant it (as postgres: ALTER ROLE \"$PGUSER\" CREATEDB) or set PGUSER to another role."
    rm -f "$STATE_DIR/psql.err"
elif [[ -f "$STATE_DIR/env.sh" ]]; then
    ((PRINT_ENV == 0)) || echo "$STATE_DIR/env.sh"
    exit 0 # keep the database settings of the last full setup
fi

# --------------------------------------------------------------------------
# 3b. A browser for the tours (Odoo's HttpCase tests drive headless Chromium)
# --------------------------------------------------------------------------
if ((WITH_DB)) && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null &&
    ! command -v google-chrome >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        say "installing Chromium for the browser tests (Debian package chromium)"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq chromium; } >"$STATE_DIR/chromium-install.log" 2>&1; then
            die 2 "could not install Chromium: see $STATE_DIR/chromium-install.log"
        fi
    else
        say "no Chromium found: the browser tours will be skipped (install chromium)"
    fi
fi

# --------------------------------------------------------------------------
# 4. odoo.conf and env.sh
# --------------------------------------------------------------------------
addons_path="$ODOO_ROOT/addons,$ODOO_ROOT/odoo/addons,$REPO_ROOT"
if [[ -n "${EXTRA_ADDONS_PATH:-}" ]]; then
    IFS=':,' read -r -a extra_dirs <<<"$EXTRA_ADDONS_PATH"
    for dir in "${extra_dirs[@]}"; do
        [[ -n "$dir" ]] || continue
        [[ -d "$dir" ]] || die 2 "EXTRA_ADDONS_PATH: $dir is not a directory."
        addons_path="$addons_path,$(cd "$dir" && pwd -P)"
    done
fi

write_if_changed() { # $1 file, content on stdin
    local tmp
    tmp="$(mktemp "$1.XXXXXX")"
    cat >"$tmp"
    if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then
        rm -f "$tmp"
    else
        chmod 600 "$tmp"
        mv "$tmp" "$1"
    fi
}

write_if_changed "$STATE_DIR/odoo.conf" <<EOF
; Written by tools/setup.sh on every run: edit that script, not this file.
[options]
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-}
admin_passwd = admin
addons_path = $addons_path
data_dir = $STATE_DIR/data
http_port = 8069
EOF

write_if_changed "$STATE_DIR/env.sh" <<EOF
# Written by tools/setup.sh; sourced by the other tools.
REPO_ROOT=$(sq "$REPO_ROOT")
ODOO_ROOT=$(sq "$ODOO_ROOT")
ODOO_BIN=$(sq "$ODOO_ROOT/odoo-bin")
ODOO_PY=$(sq "$VENV_PY")
ODOO_CONF=$(sq "$STATE_DIR/odoo.conf")
ODOO_DATA_DIR=$(sq "$STATE_DIR/data")
VENV_BIN=$(sq "$VENV/bin")
ODOO_SERIES=$(sq "$ODOO_SERIES")
ODOO_STATE_DIR=$(sq "$STATE_DIR")
DEMO_DB=$(sq "$DEMO_DB")
PSQL=$(sq "$PSQL")
PGHOST=$(sq "$PGHOST")
PGPORT=$(sq "$PGPORT")
PGUSER=$(sq "$PGUSER")
PRIVATE_PG=$PRIVATE_PG
EOF
((PRINT_ENV == 0)) || echo "$STATE_DIR/env.sh"
