# Developer commands; each one runs tools/setup.sh first (quick when nothing changed).
# Variables: DB=name (run, clean-db), ARGS="..." (extra pytest arguments for test),
# BENCH_ARGS="..." (arguments of bench/run.sh), ODOO_SRC=dir (the Odoo 18.0 or 19.0
# source tree to use; its series picks the folders: .venv/.odoo or .venv-19.0/.odoo-19.0).
SHELL := /bin/bash

.PHONY: help setup run test lint check bench clean-db stop-pg

help:
	@echo "make setup     find Odoo (18.0, or the 19.0 ODOO_SRC names), make its .venv, PostgreSQL, odoo.conf"
	@echo "make run       serve Odoo with the addon and demo data on http://localhost:8069"
	@echo "make test      the pytest-odoo suite on a fresh database (ARGS=\"-k name\")"
	@echo "make lint      ruff, pylint-odoo (OCA mandatory checks), prettier (XML)"
	@echo "make check     lint, then test"
	@echo "make bench     run bench/run.sh"
	@echo "make clean-db  drop the demo database and leftover test databases"
	@echo "make stop-pg   stop the private PostgreSQL cluster in .pgdata, if any"

setup:
	tools/setup.sh

run:
	tools/run.sh

test:
	tools/test.sh $(ARGS)

lint:
	tools/lint.sh

check: lint test

bench:
	@if [ -f bench/run.sh ]; then bash bench/run.sh $(BENCH_ARGS); else echo "bench: no bench/run.sh yet"; fi

clean-db:
	tools/clean_db.sh

stop-pg:
	tools/setup.sh --stop-pg
