"""Publishing: builds happen in a work file; readers only ever open a whole, successful build, even with DuckDB 1.x."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_DIR, Growth, SharedWarehouse, build_id, copy_warehouse, query, zfxxgk

from ingest.config import STORAGE_COMPATIBILITY_VERSION, IngestSettings
from ingest.pipeline import ingest_paths
from zfxxgk.publish import work_database_path

DUCKDB1_PYTHON = ROOT / ".venv-duckdb1" / "bin" / "python"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_duckdb_1_5_opens_the_published_file_read_only_and_queries_the_marts(
    quality_warehouse: tuple[Path, str],
) -> None:
    db_path, output = quality_warehouse
    assert f"readable by DuckDB {STORAGE_COMPATIBILITY_VERSION} and newer; connect read-only" in output
    assert DUCKDB1_PYTHON.is_file(), "no DuckDB 1.5 environment: `make test` creates .venv-duckdb1"
    script = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [name for (name,) in con.execute(
    "select table_name from information_schema.tables where table_schema = 'marts' order by table_name").fetchall()]
print(json.dumps({
    "version": duckdb.__version__,
    "counts": {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in tables},
    "comment": con.execute(
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_indicator_values'"
    ).fetchone()[0],
    "staging_reports": con.execute("select count(*) from staging.stg_reports").fetchone()[0],
    "proactive_total": con.execute(
        "select sum(value)::bigint from marts.fct_indicator_values where indicator_code = 'proactive_total'"
    ).fetchone()[0],
}))
"""
    result = subprocess.run(
        [str(DUCKDB1_PYTHON), "-c", script, str(db_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)

    assert seen["version"].startswith("1.5.")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [name for (name,) in con.execute("show tables from marts").fetchall()]
        counts = {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in tables}
        (comment,) = con.execute(
            "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_indicator_values'"
        ).fetchone()
        (proactive_total,) = con.execute(
            "select sum(value)::bigint from marts.fct_indicator_values where indicator_code = 'proactive_total'"
        ).fetchone()
    finally:
        con.close()
    assert seen["counts"] == counts
    assert seen["counts"]["dim_reports"] == 16
    assert seen["staging_reports"] == 16
    assert seen["comment"] == comment
    assert comment.startswith("The indicator panel: one resolved row per report, indicator code")
    assert seen["proactive_total"] == proactive_total


def test_the_reports_a_warehouse_written_in_place_landed_carry_over_to_its_work_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_DIR, corpus)
    db_path = tmp_path / "warehouse" / "zfxxgk.duckdb"
    # A warehouse an older zfxxgk wrote in place: its landed reports carry over to the work file.
    ingest_paths([corpus], db_path, IngestSettings(show_progress=False), warn=lambda _: None)
    landed = zfxxgk("ingest", str(corpus), "--db", str(db_path))
    assert landed.returncode == 0, landed.stdout + landed.stderr
    assert "0 new, 0 duplicate(s) of a loaded report, 5 unchanged, 0 replaced, 0 rejected" in landed.stdout
    assert query(work_database_path(db_path), "select count(*) from raw.reports") == [(5,)]


def test_a_failed_build_leaves_the_published_build_in_place(
    sample_session_warehouse: SharedWarehouse, tmp_path: Path
) -> None:
    db_path = tmp_path / "warehouse" / "zfxxgk.duckdb"
    work = copy_warehouse(sample_session_warehouse, db_path)
    assert query(db_path, "select count(*) from marts.dim_reports") == [(5,)]
    published_digest, published_build = digest(db_path), build_id(db_path)

    con = duckdb.connect(str(work))
    con.execute("update raw.report_sources set report_id = 'no-such-report' where source_path like '%000_%'")
    con.close()
    failed = zfxxgk("build", "--db", str(db_path))

    # an error-severity dbt test fails the build (test_build.py's test_an_error_test_fails_the_build, merged here)
    assert failed.returncode == 1
    # the test of raw.report_sources' column rules, and the rule it found broken
    assert "fail: column_rules_hold_raw_report_sources: Got 1 result, configured to fail if != 0\n" in failed.stdout
    assert "\n  report_id breaks relationships to reports.report_id in 1 row(s)\n" in failed.stdout
    assert "error: the dbt build failed" in failed.stderr
    assert f"Nothing was published: readers of {db_path} keep the previous build" in failed.stderr
    assert "published " not in failed.stdout
    assert digest(db_path) == published_digest
    assert build_id(db_path) == published_build


def test_a_reader_during_a_rebuild_never_fails_and_sees_one_whole_build_at_a_time(
    quality_session_warehouse: SharedWarehouse, quality_growth: Growth
) -> None:
    """The quality warehouse grew from a copy of the sample warehouse while a reader polled it and a connection
    held it open (conftest.grow_from_sample)."""
    second, builds = quality_session_warehouse.run, quality_growth.builds
    # only new files are read; the reader that held the file open was not in the way, and still reads its build
    assert "11 new, 0 duplicate(s) of a loaded report, 5 unchanged, 0 replaced, 0 rejected" in second.stdout
    assert len(builds) == 2
    assert quality_growth.held == [[builds[0], 5]]
    records = [json.loads(line) for line in quality_growth.reader_log.read_text().splitlines()]
    assert [record for record in records if "error" in record] == []
    seen = [tuple(record["seen"][0]) for record in records]
    assert len(seen) > 50
    for _build, reports, values, dim_reports, wide_rows, fact_rows, fact_reports, staged in seen:
        assert reports == dim_reports == wide_rows == staged
        assert values == fact_rows
        assert fact_reports <= reports
    order = [builds.index(build) for build, *_ in seen]
    assert order == sorted(order)
    assert set(order) == {0, 1}
    counts = {build: reports for build, reports, *_ in seen}
    assert [counts[build] for build in builds] == [5, 16]


@pytest.mark.parametrize("command", ["build", "docs"])
def test_build_and_docs_without_a_landed_warehouse_say_what_to_do(tmp_path: Path, command: str) -> None:
    db_path = tmp_path / "none.duckdb"
    result = zfxxgk(command, "--db", str(db_path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert f"run `zfxxgk run PATH... --db {db_path}` first" in result.stderr
