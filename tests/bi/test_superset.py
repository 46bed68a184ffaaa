"""Apache Superset end to end on the published warehouse of the sample corpus (issue 21): `make test-bi`.

Superset runs from .venv-superset (requirements/superset.lock.txt: Superset 6.1, duckdb-engine, SQLAlchemy 1.4,
DuckDB 1.5) on localhost with a throwaway home; everything else goes through its REST API, as a user's script
would: register the warehouse read-only, a SQL Lab query, a dataset, a chart and its data. The values are the gold
of tests/acceptance/seed_expected.csv. Not part of `make test` (testpaths is tests/python): it installs ~0.9 GB.
"""

from __future__ import annotations

import csv
import http.cookiejar
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUPERSET_BIN = ROOT / ".venv-superset" / "bin"
GOLD_CSV = ROOT / "tests" / "acceptance" / "seed_expected.csv"

pytestmark = pytest.mark.skipif(
    not (SUPERSET_BIN / "superset").is_file(), reason="no .venv-superset: run `make test-bi`"
)

# The five sample reports: file, issuer, report year, province (the values come from GOLD_CSV).
SAMPLE_REPORTS = [
    ("000_d4ff795807e30615.txt", "新乡市高新技术产业开发区管委会", 2015, "河南省"),
    ("001_082f890431297067.txt", "长春市朝阳区人民政府", 2016, "吉林省"),
    ("002_8415d511d2c02aaa.txt", "吐鲁番地区行政公署", 2012, "新疆维吾尔自治区"),
    ("003_571ed394d0d9efb0.txt", "新开镇人民政府", 2018, "湖南省"),
    ("004_81c7aeba41491e94.txt", "济源市人民政府", 2013, "河南省"),
]
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def gold(file: str, code: str) -> int | None:
    """The gold value of an indicator at applicant type total; a report without one has NULL."""
    with GOLD_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["file"], row["indicator_code"], row["applicant_type"]) == (file, code, "total"):
                return int(row["value"]) if row["value"] else None
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Superset:
    """A logged-in REST client: the JWT of /api/v1/security/login, the CSRF token and its session cookie."""

    base: str
    opener: urllib.request.OpenerDirector
    headers: dict[str, str]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read().decode(errors='replace')}") from None


def superset_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(
        SUPERSET_HOME=str(home),
        SUPERSET_CONFIG_PATH=str(home / "superset_config.py"),
        PATH=f"{SUPERSET_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def superset_cli(home: Path, *args: str) -> None:
    result = subprocess.run(
        [str(SUPERSET_BIN / "superset"), *args],
        env=superset_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"superset {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published warehouse of the sample corpus, as `zfxxgk run data/sample --db X` builds it."""
    db_path = tmp_path_factory.mktemp("warehouse") / "zfxxgk.duckdb"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", "run", str(ROOT / "data" / "sample"), "--db", str(db_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return db_path


@pytest.fixture(scope="module")
def superset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Superset]:
    """Superset on a free localhost port: a fresh home, a generated SECRET_KEY, a SQLite metadata database."""
    home = tmp_path_factory.mktemp("superset_home")
    (home / "superset_config.py").write_text(
        f"SECRET_KEY = {secrets.token_urlsafe(42)!r}\n"
        f"SQLALCHEMY_DATABASE_URI = {'sqlite:///' + str(home / 'superset.db')!r}\n"
        "RATELIMIT_STORAGE_URI = 'memory://'\n",
        encoding="utf-8",
    )
    superset_cli(home, "db", "upgrade")
    superset_cli(home, "fab", "create-admin", "--username", "admin", "--firstname", "Ad", "--lastname", "Min",
                 "--email", "admin@localhost", "--password", ADMIN_PASSWORD)  # fmt: skip
    superset_cli(home, "init")
    port = free_port()
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(SUPERSET_BIN / "superset"), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
        env=superset_env(home),
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, (home / "server.log").read_text()
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    if response.read() == b"OK":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Superset did not answer /health in 180 s"
            time.sleep(1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        client = Superset(base, opener, {})
        login = client.call(
            "POST",
            "/api/v1/security/login",
            {"username": "admin", "password": ADMIN_PASSWORD, "provider": "db", "refresh": True},
        )
        client.headers["Authorization"] = f"Bearer {login['access_token']}"
        client.headers["X-CSRFToken"] = client.call("GET", "/api/v1/security/csrf_token/")["result"]
        client.headers["Referer"] = base
        yield client
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def database_id(superset: Superset, warehouse: Path) -> int:
    """The published file registered as a Superset database, opened read-only (duckdb-engine's connect_args)."""
    created = superset.call(
        "POST",
        "/api/v1/database/",
        {
            "database_name": "zfxxgk",
            "sqlalchemy_uri": f"duckdb:///{warehouse}",
            "expose_in_sqllab": True,
            "extra": json.dumps({"engine_params": {"connect_args": {"read_only": True}}}),
        },
    )
    return created["id"]


def sql_lab(superset: Superset, database_id: int, sql: str) -> list[dict[str, Any]]:
    body = {"database_id": database_id, "sql": sql, "schema": "marts", "runAsync": False, "queryLimit": 1000}
    # client_id: the id of the query in SQL Lab's query history (unique, at most 11 characters)
    result = superset.call("POST", "/api/v1/sqllab/execute/", {**body, "client_id": secrets.token_hex(5)})
    assert result["status"] == "success", result
    return result["data"]


def test_superset_opens_the_warehouse_read_only(superset: Superset, database_id: int, warehouse: Path) -> None:
    rows = sql_lab(superset, database_id, "select current_setting('access_mode') as access_mode")
    assert rows == [{"access_mode": "read_only"}]
    # duckdb-engine names the schemas <database>.<schema>: the marts are `zfxxgk.marts` in Superset's schema lists
    schemas = superset.call("GET", f"/api/v1/database/{database_id}/schemas/")["result"]
    assert f"{warehouse.stem}.marts" in schemas


def test_the_read_only_uri_of_the_docs_works_in_superset_too(superset: Superset, warehouse: Path) -> None:
    """`?access_mode=read_only` in the URI field (README, docs/queries.md) survives Superset's own connect_args."""
    created = superset.call(
        "POST",
        "/api/v1/database/",
        {"database_name": "zfxxgk by URI", "sqlalchemy_uri": f"duckdb:///{warehouse}?access_mode=read_only"},
    )
    rows = sql_lab(superset, created["id"], "select current_setting('access_mode') as access_mode")
    assert rows == [{"access_mode": "read_only"}]


def test_sql_lab_reads_the_report_table(superset: Superset, database_id: int) -> None:
    rows = sql_lab(
        superset,
        database_id,
        "select source_path, issuer, report_year, proactive_total, applications_received, staff_total "
        "from marts.mart_report_indicators order by source_path",
    )
    assert rows == [
        {
            "source_path": str(ROOT / "data" / "sample" / file),
            "issuer": issuer,
            "report_year": year,
            "proactive_total": gold(file, "proactive_total"),
            "applications_received": gold(file, "applications_received"),
            "staff_total": gold(file, "staff_total"),
        }
        for file, issuer, year, _ in SAMPLE_REPORTS
    ]
    # the gold, spelled out: a NULL where a report states nothing
    assert [(row["proactive_total"], row["applications_received"], row["staff_total"]) for row in rows] == [
        (3723, None, 68),
        (3649, 2, 65),
        (4934, 1, None),
        (25, 0, None),
        (23000, 97, None),
    ]


def test_a_chart_on_the_issuer_year_panel_returns_the_gold_values(superset: Superset, database_id: int) -> None:
    dataset_id = superset.call(
        "POST", "/api/v1/dataset/", {"database": database_id, "schema": "marts", "table_name": "mart_issuer_year_panel"}
    )["id"]
    measures = ["applications_received", "reconsideration_total", "litigation_total"]
    columns = ["issuer", "report_year", "province", *measures]
    form_data = {
        "datasource": f"{dataset_id}__table",
        "viz_type": "table",
        "query_mode": "raw",
        "all_columns": columns,
        "order_by_cols": [json.dumps(["report_year", True])],
        "row_limit": 1000,
    }
    query_context = {
        "datasource": {"id": dataset_id, "type": "table"},
        "force": False,
        "queries": [{"columns": columns, "metrics": [], "orderby": [["report_year", True]], "row_limit": 1000}],
        "form_data": form_data,
        "result_format": "json",
        "result_type": "full",
    }
    chart_id = superset.call(
        "POST",
        "/api/v1/chart/",
        {
            "slice_name": "Applications, reconsiderations and lawsuits by issuer and year",
            "viz_type": "table",
            "datasource_id": dataset_id,
            "datasource_type": "table",
            "params": json.dumps(form_data),
            "query_context": json.dumps(query_context),
        },
    )["id"]

    result = superset.call("GET", f"/api/v1/chart/{chart_id}/data/")["result"]
    assert len(result) == 1
    by_year = sorted(SAMPLE_REPORTS, key=lambda report: report[2])
    assert result[0]["colnames"] == columns
    assert result[0]["data"] == [
        {
            "issuer": issuer,
            "report_year": year,
            "province": province,
            "applications_received": gold(file, "applications_received"),
            "reconsideration_total": gold(file, "reconsideration_total"),
            "litigation_total": gold(file, "litigation_total"),
        }
        for file, issuer, year, province in by_year
    ]
    assert [row["applications_received"] for row in result[0]["data"]] == [1, 97, None, 2, 0]

    # the same dataset aggregated by Superset's own SQL (group by, sum over NULLs), as a bar chart asks for it
    aggregated = superset.call(
        "POST",
        "/api/v1/chart/data",
        {
            "datasource": {"id": dataset_id, "type": "table"},
            "queries": [
                {
                    "columns": ["province"],
                    "metrics": [
                        {"expressionType": "SQL", "sqlExpression": "sum(applications_received)", "label": "received"},
                        "count",
                    ],
                    "orderby": [["province", True]],
                }
            ],
            "result_format": "json",
            "result_type": "full",
        },
    )["result"][0]["data"]
    assert aggregated == [
        {"province": "吉林省", "received": 2, "count": 1},
        {"province": "新疆维吾尔自治区", "received": 1, "count": 1},
        {"province": "河南省", "received": 97, "count": 2},
        {"province": "湖南省", "received": 0, "count": 1},
    ]
