#!/usr/bin/env bash
# pylint with pylint-odoo's OCA mandatory checks (.pylintrc) on the addon,
# with Odoo importable (found by tools/common.sh).
set -euo pipefail
SETUP_ARGS=(--no-db)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
PYTHONPATH="$ODOO_ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    exec "$VENV_BIN/python" -m pylint --rcfile=.pylintrc "${ADDON:-repeat_sales}"
