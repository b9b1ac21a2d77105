#!/usr/bin/env bash
# Lint: ruff check, ruff format --check, and pylint-odoo with the OCA mandatory
# checks (.pylintrc) on the addon. Exits non-zero on any finding.
# Usage: tools/lint.sh            (ADDON=name to lint another addon directory)
set -euo pipefail
SETUP_ARGS=(--no-db)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
ADDON="${ADDON:-repeat_sales}"

failed=()
echo "lint: ruff check"
"$VENV_BIN/ruff" check --no-fix . || failed+=("ruff check")
echo "lint: ruff format --check"
"$VENV_BIN/ruff" format --check . || failed+=("ruff format (run: .venv/bin/ruff format .)")
echo "lint: pylint-odoo (OCA mandatory checks) on $ADDON"
PYTHONPATH="$ODOO_ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    "$VENV_BIN/python" -m pylint --rcfile=.pylintrc "$ADDON" || failed+=("pylint-odoo")

echo "lint: unsafe code (sudo without a reason, eval, SQL built from strings)"
"$VENV_BIN/python" tools/check_unsafe.py "$ADDON" || failed+=("unsafe code")

if ((${#failed[@]})); then
    printf 'lint: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "lint: ok"
