"""Faults: two writers at once, kill -9 during an ingest or a build, an empty folder, hostile names.

One warehouse is built for the module (the contended run), in a folder and from files whose names hold quotes, SQL
and a line break, and reused, in file order, by the tests after it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from conftest import QUALITY_FIXTURES, ROOT, SAMPLE_DIR, query, zfxxgk

from ingest.config import IngestSettings
from ingest.pipeline import ingest_paths
from zfxxgk.publish import work_database_path

BUSY_SUFFIX = "is working on this warehouse: wait for it, or run with --wait\n"
EXTRA_REPORT = QUALITY_FIXTURES / "format_2021_intake_balance.txt"
KILLED_INGEST_FILES = 6000
HOSTILE_FOLDER = 'it\'s a "folder"; drop table raw.reports; --'
HOSTILE_FILES = {
    "000_d4ff795807e30615.txt": "x'); drop table raw.reports; --.txt",
    "001_082f890431297067.txt": "line\nbreak 报告 $(touch pwned).txt",
}


class Started:
    """The CLI started in the background, its output in files (unbuffered, so it can be polled)."""

    def __init__(self, folder: Path, name: str, *args: str) -> None:
        env = {
            **os.environ,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "ZFXXGK_PROJECT_DIR": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "zfxxgk.cli", *args], stdout=out, stderr=err, env=env, cwd=ROOT
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def wait(self, timeout: float = 600) -> int:
        return self.process.wait(timeout=timeout)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def report_count(db_path: Path) -> int:
    return query(db_path, "select count(*) from marts.dim_reports")[0][0]


def landed_report_count(db_path: Path) -> int:
    return query(work_database_path(db_path), "select count(*) from raw.reports")[0][0]


def published_build_id(db_path: Path) -> str:
    return query(db_path, "select build_id from marts.mart_build_stamp")[0][0]


@dataclass
class ContendedRun:
    corpus: Path
    db_path: Path
    first: Started
    second: subprocess.CompletedProcess[str]
    second_seconds: float
    waiter: Started
    waiter_started_while_first_ran: bool


@pytest.fixture(scope="module")
def contended(tmp_path_factory: pytest.TempPathFactory) -> ContendedRun:
    """A `zfxxgk run` of the sample reports; once it has landed them, a second `zfxxgk run` of another report,
    then a `zfxxgk run --wait` of the sample reports again."""
    root = tmp_path_factory.mktemp("contended") / HOSTILE_FOLDER
    corpus, extra = root / "corpus", root / "extra"
    shutil.copytree(SAMPLE_DIR, corpus)
    for name, hostile in HOSTILE_FILES.items():
        (corpus / name).rename(corpus / hostile)
    extra.mkdir()
    shutil.copy(EXTRA_REPORT, extra / EXTRA_REPORT.name)
    db_path = root / "warehouse" / "zfxxgk.duckdb"
    first = Started(root, "first", "run", str(corpus), "--db", str(db_path), "--no-progress")
    wait_for(lambda: "ingest: " in first.stdout() or first.process.poll() is not None, "the first run's ingest")
    started = time.monotonic()
    second = zfxxgk("run", str(extra), "--db", str(db_path))
    second_seconds = time.monotonic() - started
    waiter = Started(root, "waiter", "run", str(corpus), "--db", str(db_path), "--wait", "--no-progress")
    wait_for(lambda: waiter.stdout() or waiter.process.poll() is not None, "the waiting run's first line", 120)
    waiter_started_while_first_ran = first.process.poll() is None
    first.wait()
    waiter.wait()
    return ContendedRun(corpus, db_path, first, second, second_seconds, waiter, waiter_started_while_first_ran)


def test_a_second_writer_fails_at_once_naming_the_first(contended: ContendedRun) -> None:
    second = contended.second
    assert second.returncode == 2, second.stdout + second.stderr
    prefix = f"error: {contended.db_path} is busy: another zfxxgk run (pid {contended.first.pid}, started at "
    assert second.stderr.startswith(prefix), second.stderr
    assert second.stderr.endswith(BUSY_SUFFIX)
    assert second.stderr.count("\n") == 1
    assert second.stdout == ""
    assert contended.second_seconds < 30


def test_the_first_run_publishes_only_the_reports_it_landed(contended: ContendedRun) -> None:
    assert contended.first.wait() == 0, contended.first.stdout() + contended.first.stderr()
    assert "ingest: 5 file(s)" in contended.first.stdout()
    assert report_count(contended.db_path) == 5
    assert landed_report_count(contended.db_path) == 5
    sources = query(work_database_path(contended.db_path), "select source_path from raw.report_sources")
    assert EXTRA_REPORT.name not in {Path(path).name for (path,) in sources}


def test_a_writer_given_wait_waits_for_the_first_then_succeeds(contended: ContendedRun) -> None:
    waiter = contended.waiter
    assert contended.waiter_started_while_first_ran
    assert waiter.wait() == 0, waiter.stdout() + waiter.stderr()
    lines = waiter.stdout().splitlines()
    assert lines[0].startswith(f"waiting: another zfxxgk run (pid {contended.first.pid}, started at ")
    assert lines[0].endswith(f"is working on {contended.db_path}; this run starts when it ends")
    assert lines[1].startswith("ingest: 5 file(s) in ")
    assert lines[1].endswith("0 new, 0 duplicate(s) of a loaded report, 5 unchanged, 0 replaced, 0 rejected")
    assert "build: nothing changed since the last build" in waiter.stdout()
    assert f"{contended.db_path} holds that build already" in waiter.stdout()


HOLD_LOCK = """
import sys
from pathlib import Path
from zfxxgk.warehouse_lock import warehouse_lock

with warehouse_lock(Path(sys.argv[1]), "build"):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.mark.parametrize("command", ["ingest", "build", "run", "docs"])
def test_every_writer_fails_at_once_while_another_holds_the_warehouse(tmp_path: Path, command: str) -> None:
    db_path = tmp_path / "warehouse" / "zfxxgk.duckdb"
    paths = [str(SAMPLE_DIR)] if command in {"ingest", "run"} else []
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        result = zfxxgk(command, *paths, "--db", str(db_path))
        reader = zfxxgk("summary", "--db", str(db_path))
    finally:
        holder.communicate(timeout=60)

    assert result.returncode == 2, result.stdout + result.stderr
    prefix = f"error: {db_path} is busy: another zfxxgk build (pid {holder.pid}, started at "
    assert result.stderr.startswith(prefix), result.stderr
    assert result.stderr.endswith(BUSY_SUFFIX)
    assert not work_database_path(db_path).exists()
    # a reader takes no lock: it answers at once (here that nothing is published yet), never that the warehouse is busy
    assert (reader.returncode, reader.stderr) == (
        2,
        f"error: no warehouse at {db_path}: run `zfxxgk run PATH... --db {db_path}` first\n",
    )


def test_hostile_folder_and_file_names_land_and_publish_as_they_are(contended: ContendedRun) -> None:
    expected = sorted(
        str(contended.corpus / HOSTILE_FILES.get(path.name, path.name)) for path in SAMPLE_DIR.glob("*.txt")
    )
    sources = query(contended.db_path, "select source_path from staging.stg_reports order by 1")
    assert [path for (path,) in sources] == expected
    assert query(contended.db_path, "select count(*) from raw.reports") == [(5,)]
    assert not (ROOT / "pwned").exists()


def _process_tree(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _alive(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
        except psutil.NoSuchProcess:
            continue
    return alive


def test_kill_9_during_a_build_keeps_the_published_build_and_a_rerun_completes(contended: ContendedRun) -> None:
    db_path, corpus = contended.db_path, contended.corpus
    before = published_build_id(db_path)
    shutil.copy(EXTRA_REPORT, corpus / EXTRA_REPORT.name)
    run = Started(db_path.parent, "killed_build", "run", str(corpus), "--db", str(db_path), "--no-progress")
    wait_for(lambda: "build: " in run.stdout() or run.process.poll() is not None, "the build to start")
    time.sleep(3)  # into dbt
    assert run.process.poll() is None, run.stdout() + run.stderr()
    run.process.send_signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    assert "published " not in run.stdout()
    assert published_build_id(db_path) == before
    assert report_count(db_path) == 5

    rerun = zfxxgk("run", str(corpus), "--db", str(db_path))

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "0 new, 0 duplicate(s) of a loaded report, 6 unchanged, 0 replaced, 0 rejected" in rerun.stdout
    assert "build: 1 new or revised report(s), 0 removed" in rerun.stdout
    assert report_count(db_path) == 6
    assert published_build_id(db_path) != before


def test_an_empty_folder_fails_and_leaves_a_built_warehouse_as_it_is(contended: ContendedRun, tmp_path: Path) -> None:
    db_path, corpus = contended.db_path, contended.corpus
    reports = len(list(corpus.glob("*.txt")))
    assert report_count(db_path) == reports
    published = db_path.stat()
    away = tmp_path / "away"
    shutil.move(corpus, away)
    corpus.mkdir()
    try:
        result = zfxxgk("run", str(corpus), "--db", str(db_path), "--prune")
    finally:
        corpus.rmdir()
        shutil.move(away, corpus)

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(f"error: no report files found under {corpus} ")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert (db_path.stat().st_ino, db_path.stat().st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    assert report_count(db_path) == reports
    assert landed_report_count(db_path) == reports


def test_an_empty_folder_builds_and_publishes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "sub" / ".hidden").mkdir(parents=True)
    (empty / "sub" / ".hidden" / "report.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    db_path = tmp_path / "warehouse" / "zfxxgk.duckdb"

    result = zfxxgk("run", str(empty), "--db", str(db_path))

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"error: no report files found under {empty} (names starting with '.' are skipped): nothing was landed, "
        "built or published, and the warehouse is left as it was. Check the path, or put the report files "
        "(.txt, .html, .pdf, .doc, .docx, ...) there, and run again\n"
    )
    assert not db_path.exists()
    assert not work_database_path(db_path).exists()


def _many_reports(folder: Path, count: int) -> None:
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLE_DIR.glob("*.txt"))]
    for i in range(count):
        (folder / f"r{i:05d}.txt").write_text(f"第{i}号\n" + texts[i % len(texts)], encoding="utf-8")


def test_kill_9_during_an_ingest_ends_its_workers_and_a_rerun_lands_the_same_tables(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    _many_reports(folder, KILLED_INGEST_FILES)
    db_path = tmp_path / "warehouse" / "zfxxgk.duckdb"
    ingest = Started(tmp_path, "killed_ingest", "ingest", str(folder), "--db", str(db_path), "--workers", "2")
    # the fork server, its two workers and the resource tracker
    wait_for(lambda: len(_process_tree(ingest.pid)) >= 4 or ingest.process.poll() is not None, "the workers", 120)
    tree = _process_tree(ingest.pid)
    assert ingest.process.poll() is None, ingest.stdout() + ingest.stderr()
    ingest.process.send_signal(signal.SIGKILL)
    assert ingest.wait() == -signal.SIGKILL

    wait_for(lambda: not _alive(tree), "the killed ingest's processes to end", 30)

    rerun = zfxxgk("ingest", str(folder), "--db", str(db_path), "--workers", "2", "--no-progress")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    reference = tmp_path / "reference" / "zfxxgk.duckdb"
    ingest_paths([folder], reference, IngestSettings(workers=1, show_progress=False), warn=lambda _: None)
    work = work_database_path(db_path)
    for sql in (
        "select report_id, source_path, file_hash, encoding, script, raw_text, text from raw.reports order by all",
        "select report_id, source_path from raw.report_sources order by all",
        "select count(*) from raw.ingest_rejections",
    ):
        assert query(work, sql) == query(reference, sql)
    assert query(work, "select count(*), count(distinct report_id) from raw.reports") == [
        (KILLED_INGEST_FILES, KILLED_INGEST_FILES)
    ]
