"""Shared fixtures: the sample corpus, fresh warehouses, and helpers to query them."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from shared_corpus import write_shared_corpus

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


def zfxxgk(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process, as a user runs it (dbt keeps state in the process that runs it)."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )


@dataclass(frozen=True)
class SharedWarehouse:
    """The warehouse every read-only test shares: the corpus of shared_corpus.py, built once per session."""

    db_path: Path
    corpus: Path
    files: list[str]
    """The file names of its reports (unique across the corpus)."""
    run: subprocess.CompletedProcess[str]
    """The `zfxxgk run` that built it."""


def _build_shared_warehouse(root: Path) -> SharedWarehouse:
    """Build the shared warehouse under `root` unless a process of this session did: with pytest-xdist, every
    worker asks for it, the first builds it (holding a file lock) and the others read what it left."""
    corpus, db_path, done = root / "corpus", root / "warehouse" / "zfxxgk.duckdb", root / "run.json"
    with (root / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            files = write_shared_corpus(corpus)
            result = zfxxgk("run", str(corpus), "--db", str(db_path), "--no-progress")
            recorded = {"files": files, "args": result.args, "returncode": result.returncode}
            done.write_text(json.dumps({**recorded, "stdout": result.stdout, "stderr": result.stderr}))
    recorded = json.loads(done.read_text())
    run = subprocess.CompletedProcess(recorded["args"], recorded["returncode"], recorded["stdout"], recorded["stderr"])
    assert run.returncode == 0, run.stdout + run.stderr
    return SharedWarehouse(db_path, corpus, recorded["files"], run)


@pytest.fixture(scope="session")
def shared_warehouse(tmp_path_factory: pytest.TempPathFactory) -> SharedWarehouse:
    """The shared warehouse; its directory is common to the xdist workers of the session (their base temp's
    parent), so it is built once."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared_warehouse"
    if os.environ.get("TMP_DEV_SHARED"):  # TEMPORARY
        root = Path(os.environ["TMP_DEV_SHARED"])
    root.mkdir(exist_ok=True)
    return _build_shared_warehouse(root)


@pytest.fixture(scope="session")
def sample_warehouse(shared_warehouse: SharedWarehouse) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The shared warehouse (it holds the five sample reports, data/sample): the published file and the
    `zfxxgk run` process. Filter assertions to the sample's files (SAMPLE_FILES)."""
    return shared_warehouse.db_path, shared_warehouse.run


SAMPLE_FILES = sorted(path.name for path in SAMPLE_DIR.glob("*.txt"))


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
def quality_warehouse(shared_warehouse: SharedWarehouse) -> tuple[Path, str]:
    """The shared warehouse (it holds the quality fixtures and the five sample reports): its `zfxxgk run` output
    beside it."""
    return shared_warehouse.db_path, shared_warehouse.run.stdout
