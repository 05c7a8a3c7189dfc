# Socle — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PGDIR := $(CURDIR)/var/pg-test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test venv system-deps pdf-deps lint test-sqlite test-postgres test-production bench clean

$(BIN)/socle: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps 'validata-table==0.12.5'
	@touch $@

venv: $(BIN)/socle

## make run: set everything up and serve the platform with the Gironde loaded.
# The demo logs citizens in with a local fake of FranceConnect (and agents with one of
# ProConnect) on 127.0.0.1:8001; a background worker (`socle db_worker`) sends the mails
# (invitations), printed in this terminal; « Qui contacter ? » finds addresses through a local
# fake of the national address API on 127.0.0.1:8002 (`socle fake_adresse`).
DEMO_ENV := DEBUG=1 FRANCECONNECT_FAKE=1 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
	ADDRESS_API_URL=http://127.0.0.1:8002 DATAGOUV_API_URL=http://127.0.0.1:8003/api/1
run: venv pdf-deps
	$(DEMO_ENV) $(BIN)/socle demo
	@echo "FranceConnect fictif sur http://127.0.0.1:8001 ; API Adresse fictive sur http://127.0.0.1:8002 ; data.gouv.fr fictif sur http://127.0.0.1:8003 ; les courriels s'affichent ici."
	@$(DEMO_ENV) $(BIN)/socle fake_franceconnect --port 8001 & FC=$$!; \
	$(DEMO_ENV) $(BIN)/socle fake_adresse --port 8002 & ADRESSE=$$!; \
	$(DEMO_ENV) $(BIN)/socle db_worker --no-reload & WORKER=$$!; \
	$(DEMO_ENV) $(BIN)/socle outbox --loop & SWEEPER=$$!; \
	$(DEMO_ENV) $(BIN)/socle signalements schedule --loop & SCHEDULE=$$!; \
	$(DEMO_ENV) $(BIN)/socle opendata_generer --worker --loop & OPENDATA=$$!; \
	$(DEMO_ENV) $(BIN)/socle fake_datagouv --port 8003 & DATAGOUV=$$!; \
	$(DEMO_ENV) $(BIN)/socle datagouv_sweep --loop & DGSWEEP=$$!; \
	$(DEMO_ENV) $(BIN)/socle demarches schedule --loop & DEMARCHES=$$!; \
	trap 'kill $$FC $$ADRESSE $$WORKER $$SWEEPER $$SCHEDULE $$OPENDATA $$DATAGOUV $$DGSWEEP $$DEMARCHES 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/socle runserver $(HOST):$(PORT)

demo: venv
	$(DEMO_ENV) $(BIN)/socle demo

# WeasyPrint's libraries and the DejaVu fonts (the démarches' receipts and attestations, PDF/A
# with embedded fonts), from Debian.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@LDCONFIG=$$(command -v ldconfig || echo /sbin/ldconfig); \
	if ! $$LDCONFIG -p | grep -q libpangoft2 || ! $$LDCONFIG -p | grep -q libharfbuzz-subset \
	    || ! [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "Installing WeasyPrint's libraries and the DejaVu fonts from Debian packages…"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	fi

# PostgreSQL with PostGIS (tests, benchmarks) and Chromium (browser tests), from Debian; and
# WeasyPrint's libraries.
system-deps: pdf-deps
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 \
	    || ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing PostgreSQL, PostGIS and Chromium from Debian packages…"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql chromium >/dev/null; \
	  PGV=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-$$PGV-postgis-3 >/dev/null; \
	fi

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite: venv pdf-deps
	$(BIN)/pytest -q -p no:cacheprovider

test-postgres: venv system-deps
	@set -e; URL=$$($(PYTHON) scripts/pgcluster.py start $(PGDIR)); \
	trap '$(PYTHON) scripts/pgcluster.py stop $(PGDIR)' EXIT; \
	DATABASE_URL=$$URL $(BIN)/pytest -q -p no:cacheprovider

# The production start (scripts/production_start.sh) on a throwaway PostgreSQL cluster, with
# production settings: the main pages and a hashed static file must answer 200 (~30 s).
test-production: venv system-deps
	PYTHON=$(PYTHON) scripts/production_check.sh

## make test: set everything up, lint, run the whole suite on SQLite and on PostgreSQL side by
## side (one per core; each run's output is printed whole when it ends), then check the
## production start once.
test: venv pdf-deps system-deps lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(MAKE) --no-print-directory test-production

bench: venv system-deps
	$(BIN)/python bench/import_france.py
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/journal.py
	$(BIN)/python bench/signalements.py
	$(BIN)/python bench/opendata.py
	$(BIN)/python bench/observatoire.py
	$(BIN)/python bench/demarches.py

clean:
	rm -rf $(VENV) var/pg-test var/pg-production
