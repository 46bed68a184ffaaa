"""Shared fixtures: the sample corpus, fresh warehouses, and helpers to query them."""

from __future__ import annotations

import fcntl
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import psutil
import pytest
from shared_corpus import land_reader_cells, write_shared_corpus

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"


def _load_script(name: str) -> ModuleType:
    """scripts/<name>.py as the module `name`."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


score_real = _load_script("score_real")
"""scripts/score_real.py: the accuracy of the warehouse on the real reports against their gold."""
tree_rss = _load_script("process_memory").tree_rss
"""scripts/process_memory.py: the resident memory of a process tree, as the benchmarks measure it."""

SEED_SENTENCE = "2018年度政府信息公开工作报告:全年主动公开政府信息4934条,收到申请97件。\n"
TRADITIONAL_SENTENCE = "本報告根據《中華人民共和國政府信息公開條例》編制,全年主動公開政府信息4934條。\n"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that run dbt builds of their own one after another (marked `builds(n)`) start first, the most
    builds first: pytest-xdist hands the first tests to its workers in turn, so the long chains run side by side
    from the start instead of one of them at the end, while the other worker builds the session warehouses."""

    def own_builds(item: pytest.Item) -> int:
        marker = item.get_closest_marker("builds")
        return marker.args[0] if marker else 0

    items.sort(key=lambda item: -own_builds(item))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "zfxxgk.duckdb"


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
QUALITY_FIXTURES = ROOT / "tests" / "fixtures" / "quality"


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
    counts = {"model": 0, "seed": 0, "test": 0, "operation": 0}  # operation: the project's hooks (on-run-start)
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


@dataclass(frozen=True)
class SharedWarehouse:
    """The warehouse every read-only test shares: the corpus of shared_corpus.py, built once per session."""

    db_path: Path
    corpus: Path
    files: list[str]
    """The file names of its reports (unique across the corpus)."""
    run: subprocess.CompletedProcess[str]
    """The `zfxxgk run` that built it."""
    peak_rss: int
    """The most resident memory its process tree held at once while it was built (bytes, sampled every 20 ms)."""


Builder = Callable[[Path, Path], tuple[subprocess.CompletedProcess[str], int]]
"""How a session warehouse is built from its corpus folder into its published file: the process (its output) and
the peak resident memory of its process tree."""


def run_corpus(corpus: Path, db_path: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """`zfxxgk run` of the corpus: how most session warehouses are built."""
    return zfxxgk_measured("run", str(corpus), "--db", str(db_path), "--no-progress")


def _build_once(root: Path, write_corpus: Callable[[Path], list[str]], build: Builder = run_corpus) -> SharedWarehouse:
    """Build a session warehouse under `root` unless a process of this session did: with pytest-xdist, every
    worker asks for it, the first builds it (holding a file lock) and the others read what it left."""
    corpus, db_path, done = root / "corpus", root / "warehouse" / "zfxxgk.duckdb", root / "run.json"
    root.mkdir(parents=True, exist_ok=True)
    with (root / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            files = write_corpus(corpus)
            result, peak_rss = build(corpus, db_path)
            recorded = {"files": files, "args": result.args, "returncode": result.returncode, "peak_rss": peak_rss}
            done.write_text(json.dumps({**recorded, "stdout": result.stdout, "stderr": result.stderr}))
    recorded = json.loads(done.read_text())
    run = subprocess.CompletedProcess(recorded["args"], recorded["returncode"], recorded["stdout"], recorded["stderr"])
    assert run.returncode == 0, run.stdout + run.stderr
    return SharedWarehouse(db_path, corpus, recorded["files"], run, recorded["peak_rss"])


def ingest_cells_then_run(corpus: Path, db_path: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """`zfxxgk ingest`, then the reader cells of shared_corpus.READER_CELLS into the work file, then `zfxxgk run`
    (their outputs one after the other): how the shared warehouse is built."""
    from zfxxgk.publish import work_database_path

    ingest, ingest_peak = zfxxgk_measured("ingest", str(corpus), "--db", str(db_path), "--no-progress")
    if ingest.returncode != 0:
        return ingest, ingest_peak
    land_reader_cells(work_database_path(db_path))
    # run: the files are unchanged, so nothing is read again; then the build and the summary
    run, run_peak = zfxxgk_measured("run", str(corpus), "--db", str(db_path), "--no-progress")
    output, errors = ingest.stdout + run.stdout, ingest.stderr + run.stderr
    return subprocess.CompletedProcess(run.args, run.returncode, output, errors), max(ingest_peak, run_peak)


def zfxxgk_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """zfxxgk(*args), and the peak resident memory of its process tree (bytes, sampled every 20 ms)."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    command = [sys.executable, "-m", "zfxxgk.cli", *args]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        process = psutil.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        peak, started = 0, time.monotonic()
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            if time.monotonic() - started > 600:
                process.kill()
                break
            time.sleep(0.02)
        returncode = process.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, returncode, out.read(), err.read()), peak


def copy_warehouse(warehouse: SharedWarehouse, db_path: Path) -> Path:
    """A writable copy of a session warehouse at `db_path`, whose next build goes on from the session's: the
    published file, and the same file as its work file (publishing copies the work file byte for byte). Returns the
    work file."""
    from zfxxgk.publish import work_database_path

    work = work_database_path(db_path)
    work.parent.mkdir(parents=True)
    shutil.copyfile(warehouse.db_path, db_path)
    shutil.copyfile(warehouse.db_path, work)
    return work


def session_root(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory of the session common to its xdist workers (their base temp's parent): `name` in it."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name


@pytest.fixture(scope="session")
def shared_warehouse(tmp_path_factory: pytest.TempPathFactory) -> SharedWarehouse:
    """The warehouse of every fixture report (shared_corpus.py), built once per session: tests that only read a
    warehouse and assert on their own reports use it, filtering by file name. Between ingest and build, the reader
    cells of two of its reports are landed (shared_corpus.land_reader_cells)."""
    return _build_once(session_root(tmp_path_factory, "shared_warehouse"), write_shared_corpus, ingest_cells_then_run)


def write_quality_corpus(corpus: Path) -> list[str]:
    """The quality fixtures in `corpus`; the names of its files and of the sample's, which the warehouse holds too."""
    corpus.mkdir(parents=True)
    for path in QUALITY_FIXTURES.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    return sorted([*(path.name for path in corpus.iterdir()), *SAMPLE_FILES])


READER_SCRIPT = """
import json, sys, time
from pathlib import Path
import duckdb

published, log, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
with log.open("w") as out:
    while not stop.exists():
        try:
            con = duckdb.connect(published, read_only=True)
            try:
                seen = con.execute(
                    '''
                    select build_id, report_count, indicator_value_count,
                        (select count(*) from marts.dim_reports),
                        (select count(*) from marts.mart_report_indicators),
                        (select count(*) from marts.fct_indicator_values),
                        (select count(distinct report_id) from marts.fct_indicator_values),
                        (select count(*) from staging.stg_reports)
                    from marts.mart_build_stamp
                    '''
                ).fetchall()
            finally:
                con.close()
            out.write(json.dumps({"seen": seen}) + "\\n")
        except Exception as error:
            out.write(json.dumps({"error": repr(error)}) + "\\n")
        out.flush()
        time.sleep(0.05)
"""
"""A reader that polls a published warehouse every 50 ms until a stop file appears: a JSON line per look."""


def build_id(db_path: Path) -> str:
    """The build a new reader process sees (this process may hold an older build open)."""
    script = "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
    script += "print(con.execute('select build_id from marts.mart_build_stamp').fetchone()[0])"
    result = subprocess.run([sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@dataclass(frozen=True)
class Growth:
    """What readers of the quality warehouse saw while it grew from the sample's (grow_from_sample)."""

    builds: list[str]
    """The build before and the build after."""
    held: list[list]
    """What a connection opened before the rebuild (a BI tool that keeps the file open) read after it."""
    reader_log: Path
    """READER_SCRIPT's lines."""


def grow_from_sample(
    sample: SharedWarehouse, corpus: Path, db_path: Path
) -> tuple[subprocess.CompletedProcess[str], int]:
    """A copy of the sample warehouse, then `zfxxgk run` of the sample's folder and `corpus` beside it, while a
    reader process polls the published file and a connection holds it open: what they saw is kept in growth.json
    beside (quality_growth)."""
    copy_warehouse(sample, db_path)
    root = db_path.parent.parent
    log, stop = root / "reader.jsonl", root / "reader.stop"
    builds = [build_id(db_path)]
    reader = subprocess.Popen([sys.executable, "-c", READER_SCRIPT, str(db_path), str(log), str(stop)])
    holder = duckdb.connect(str(db_path), read_only=True)  # a BI tool that keeps the file open
    try:
        time.sleep(1)
        result, peak_rss = zfxxgk_measured("run", str(sample.corpus), str(corpus), "--db", str(db_path))
        if result.returncode == 0:
            builds.append(build_id(db_path))
        time.sleep(1)
        held = holder.execute("select build_id, report_count from marts.mart_build_stamp").fetchall()
    finally:
        stop.touch()
        reader.wait(timeout=60)
        holder.close()
    growth = {"builds": builds, "held": [list(row) for row in held], "reader_log": str(log)}
    (root / "growth.json").write_text(json.dumps(growth), encoding="utf-8")
    return result, peak_rss


@pytest.fixture(scope="session")
def quality_session_warehouse(
    tmp_path_factory: pytest.TempPathFactory, sample_session_warehouse: SharedWarehouse
) -> SharedWarehouse:
    """The five sample reports and the quality fixtures, built once per session: the small, whole corpus that the
    tests of the whole product read (marts over every report, export, overview, the README's queries). It grows as
    a warehouse does: from a copy of the sample warehouse, the quality fixtures arrive in a folder beside the
    sample's (grow_from_sample), while readers watch (quality_growth)."""
    return _build_once(
        session_root(tmp_path_factory, "quality_warehouse"),
        write_quality_corpus,
        functools.partial(grow_from_sample, sample_session_warehouse),
    )


@pytest.fixture(scope="session")
def quality_growth(quality_session_warehouse: SharedWarehouse) -> Growth:
    """What readers of the quality warehouse saw while it grew from the sample's."""
    recorded = json.loads((quality_session_warehouse.db_path.parent.parent / "growth.json").read_text("utf-8"))
    return Growth(recorded["builds"], recorded["held"], Path(recorded["reader_log"]))


@pytest.fixture(scope="session")
def documents_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real PDFs of ../shared/corpus/pdf, HTML pages, a Word file and bad files (test_readers.py's
    write_documents_corpus), built once per session: the readers' and the page provenance tests read it."""
    if not (ROOT.parent / "shared" / "corpus" / "pdf").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    from test_readers import write_documents_corpus

    return _build_once(session_root(tmp_path_factory, "documents_warehouse"), write_documents_corpus).db_path


def write_sample_corpus(corpus: Path) -> list[str]:
    shutil.copytree(SAMPLE_DIR, corpus)
    return sorted(path.name for path in corpus.glob("*.txt"))


@pytest.fixture(scope="session")
def sample_session_warehouse(tmp_path_factory: pytest.TempPathFactory) -> SharedWarehouse:
    """The five sample reports alone, built once per session: the warehouse of `make run`, which the README's and
    the docs' example queries show."""
    return _build_once(session_root(tmp_path_factory, "sample_warehouse"), write_sample_corpus)


@pytest.fixture(scope="session")
def sample_warehouse(sample_session_warehouse: SharedWarehouse) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The five sample reports, built once: the published file and the `zfxxgk run` process."""
    return sample_session_warehouse.db_path, sample_session_warehouse.run


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


@pytest.fixture(scope="session")
def quality_warehouse(quality_session_warehouse: SharedWarehouse) -> tuple[Path, str]:
    """One warehouse holding the quality fixtures and the five sample reports: `zfxxgk run` output beside it."""
    return quality_session_warehouse.db_path, quality_session_warehouse.run.stdout


def write_real_corpus(corpus: Path) -> list[str]:
    corpus.mkdir(parents=True)
    for path in score_real.build_inputs():
        shutil.copy(path, corpus / path.name)
    return sorted(path.name for path in corpus.iterdir())


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> SharedWarehouse:
    """The inputs of scripts/score_real.py (the 30 real openings of tests/fixtures/real, then the text layers of
    the three real PDFs), built once per session: test_real_reports scores its values, test_real_metadata reads its
    metadata. (Their texts repeat fixtures of the shared warehouse, so they cannot join it: a repeated text is
    one report, under the name of the file that came first.)"""
    return _build_once(session_root(tmp_path_factory, "real_warehouse"), write_real_corpus)
