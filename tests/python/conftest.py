"""Shared fixtures: the sample corpus, fresh warehouses, and helpers to query them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"

SEED_SENTENCE = "2018年度政府信息公开工作报告:全年主动公开政府信息4934条,收到申请97件。\n"
TRADITIONAL_SENTENCE = "本報告根據《中華人民共和國政府信息公開條例》編制,全年主動公開政府信息4934條。\n"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "test.duckdb"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the five sample reports."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    return target


def query(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


METADATA_FIXTURES = ROOT / "tests" / "fixtures" / "metadata"


def build_warehouse(db_path: Path, *paths: Path) -> str:
    """`zfxxgk run` on the paths in a fresh process (dbt keeps state in the process that runs it): its output."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", "run", *map(str, paths), "--db", str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def built_node_counts(db_path: Path) -> dict[str, int]:
    """Models, seeds and data tests of the project dbt built the warehouse from (the manifest.json in the target/ of
    its work folder), by resource type: what a build that passed built and tested; and the unit tests it holds."""
    from zfxxgk.publish import work_database_path

    manifest = json.loads((work_database_path(db_path).parent / "target" / "manifest.json").read_text("utf-8"))
    counts = {"model": 0, "seed": 0, "test": 0}
    for node in manifest["nodes"].values():
        if node["resource_type"] in counts:
            counts[node["resource_type"]] += 1
    counts["unit_test"] = len(manifest.get("unit_tests", {}))
    return counts


def zfxxgk(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process, as a user runs it (dbt keeps state in the process that runs it)."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The five sample reports, built once: the published file and the `zfxxgk run` process."""
    db_path = tmp_path_factory.mktemp("sample") / "zfxxgk.duckdb"
    return db_path, zfxxgk("run", str(SAMPLE_DIR), "--db", str(db_path))


def rows_by_file(db_path: Path, sql: str) -> list[tuple]:
    """Rows of `sql` (which selects report_id first) keyed by the report's file name, in order."""
    return query(
        db_path,
        f"""
        with result as ({sql})
        select regexp_extract(reports.source_path, '[^/]+$') as file, result.* exclude (report_id)
        from result join staging.stg_reports as reports using (report_id)
        order by all
        """,
    )


QUALITY_FIXTURES = ROOT / "tests" / "fixtures" / "quality"


@pytest.fixture(scope="session")
def quality_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One warehouse holding the quality fixtures and the five sample reports: `zfxxgk run` output beside it."""
    corpus = tmp_path_factory.mktemp("quality_corpus")
    for path in [*QUALITY_FIXTURES.glob("*.txt"), *SAMPLE_DIR.glob("*.txt")]:
        shutil.copy(path, corpus / path.name)
    db_path = tmp_path_factory.mktemp("quality_db") / "zfxxgk.duckdb"
    return db_path, build_warehouse(db_path, corpus)
