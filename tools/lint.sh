#!/usr/bin/env bash
# Lint: the hooks of .pre-commit-config.yaml on every file of the repository —
# ruff check, ruff format --check, pylint-odoo with the OCA mandatory checks
# (.pylintrc), prettier on the XML (.prettierrc.yml), unsafe code
# (tools/check_unsafe.py), XML (tools/check_xml.py) and the generated README
# (tools/gen_readme.py). Exits non-zero on any finding.
set -euo pipefail
SETUP_ARGS=(--no-db)
# Lint does not depend on the series: it runs in the default series' .venv,
# which the hooks of .pre-commit-config.yaml name.
unset ODOO_SRC
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
# pre-commit keeps its state out of the repository (.odoo is ignored); the only
# hook it installs itself is prettier, from the npm registry.
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$REPO_ROOT/.odoo/pre-commit}"
if "$VENV_BIN/pre-commit" run --all-files --show-diff-on-failure; then
    echo "lint: ok"
else
    echo "lint: FAILED (fix, or run .venv/bin/ruff format . / python tools/gen_readme.py)" >&2
    exit 1
fi
