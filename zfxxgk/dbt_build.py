"""Run the dbt project (seeds, models, tests) against a warehouse file and summarise the outcome.

dbt writes its target/ (manifest.json, run_results.json, compiled SQL) and its log (logs/dbt.log, info level unless
DBT_LOG_LEVEL_FILE says otherwise, without colour codes) in the work folder beside the warehouse's work file, never
in the checkout: two warehouses built from one checkout share nothing. By default dbt prints only its errors;
`verbose` shows its own log as it runs.

Parsing the project costs dbt about 7 s of every invocation. dbt skips it when the partial_parse.msgpack of an
earlier parse still matches (same project files, vars, profile and dbt version). dbt runs with the work folder as
its working directory and the work file and spill folder relative to it, so the profile of every warehouse of one
name is the same, and the parse is kept in a cache shared by the warehouses (zfxxgk.parse_cache). Every invocation
gets the same vars (project_variables: a build, `zfxxgk docs` and the unit tests alike), since dbt parses the whole
project again when they change.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.config import STORAGE_COMPATIBILITY_VERSION
from zfxxgk.build_state import build_batch_reports, project_fingerprint
from zfxxgk.parse_cache import keep_parsed_project, reuse_parsed_project

PROJECT_MARKER = "dbt_project.yml"


class ProjectNotFoundError(RuntimeError):
    """The dbt project that holds the models cannot be found."""


@dataclass
class BuildOutcome:
    success: bool
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(resource type, status) -> number of nodes."""
    problems: list[str] = field(default_factory=list)
    """One line per test that failed and per node that errored, with dbt's message."""
    warned: dict[str, int] = field(default_factory=dict)
    """The warn-severity tests that found rows: name -> number of rows (zfxxgk.build_warnings says them)."""
    log_file: Path | None = None
    """dbt's log of the run."""

    def describe(self) -> str:
        """The number of nodes per resource type and status, then the failures."""
        built: dict[str, list[str]] = {}
        for (resource, status), n in sorted(self.counts.items()):
            built.setdefault(resource, []).append(f"{n} {status}")
        lines = [f"{resource}s: {', '.join(parts)}" for resource, parts in built.items()]
        lines += self.problems
        return "\n".join(lines)


def dbt_target_dir(db_path: Path) -> Path:
    """dbt's target/ for the work file `db_path`: beside it, in the warehouse's work folder."""
    return db_path.resolve().parent / "target"


def dbt_log_dir(db_path: Path) -> Path:
    """dbt's logs/ (dbt.log) for the work file `db_path`: beside it, in the warehouse's work folder."""
    return db_path.resolve().parent / "logs"


def use_colours() -> bool:
    """Colour codes only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def find_project_dir() -> Path:
    """`ZFXXGK_PROJECT_DIR`, else the checkout this package was installed from (editable install)."""
    candidates = [os.environ.get("ZFXXGK_PROJECT_DIR"), Path(__file__).resolve().parents[1], Path.cwd()]
    for candidate in candidates:
        if candidate and (Path(candidate) / PROJECT_MARKER).is_file():
            return Path(candidate).resolve()
    raise ProjectNotFoundError(
        "cannot find the dbt project (dbt_project.yml): run from the zfxxgk checkout or set ZFXXGK_PROJECT_DIR"
    )


def project_variables(project_dir: Path, report_batch_size: int | None = None) -> dict[str, str]:
    """The vars of every dbt invocation of the project: its fingerprint (recorded by mart_build_stamp) and the most
    reports a build takes at a time (int_reports_changed), by default build_batch_reports()."""
    return {
        "project_fingerprint": project_fingerprint(project_dir),
        "report_batch_size": str(report_batch_size or build_batch_reports()),
    }


def run_dbt(
    db_path: Path,
    args: list[str],
    project_dir: Path | None = None,
    *,
    report_batch_size: int | None = None,
    verbose: bool = False,
    progress: bool = False,
    target_dir: Path | None = None,
) -> BuildOutcome:
    """Invoke dbt in-process with the warehouse at `db_path`; warn-severity tests do not fail it.

    dbt's vars are project_variables(project_dir, report_batch_size), the same for every command, so that dbt's parse
    of the project serves them all. dbt's target/ is `target_dir`, else dbt_target_dir(db_path); its log
    dbt_log_dir(db_path)/dbt.log. Unless `verbose`, dbt prints only its errors (each failing node with its message),
    and `progress` shows a bar of the nodes done on stderr."""
    from dbt.cli.main import dbtRunner

    project_dir = (project_dir or find_project_dir()).resolve()
    work_dir = db_path.resolve().parent
    # relative to the work folder, dbt's working directory: the profile is the same for every warehouse of one name
    os.environ["ZFXXGK_WORK_FILE"] = db_path.name
    # DuckDB spills what exceeds its memory_limit (profiles.yml) beside the work file, not into the checkout
    os.environ["ZFXXGK_SPILL_DIR"] = "spill"
    os.environ["ZFXXGK_STORAGE_VERSION"] = STORAGE_COMPATIBILITY_VERSION
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dbt's log file at info level (each node, its status, every error): its debug level (each statement dbt sends)
    # costs a build about 7 % more CPU. DBT_LOG_LEVEL_FILE=debug writes it whole.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "info")
    log_dir = dbt_log_dir(db_path)
    target = (target_dir or dbt_target_dir(db_path)).resolve()
    variables = project_variables(project_dir, report_batch_size)
    parse_key = reuse_parsed_project(target, project_dir, db_path.stem, variables)
    options = [
        *("--vars", json.dumps(variables, sort_keys=True)),
        *("--project-dir", str(project_dir), "--profiles-dir", str(project_dir)),
        *("--target-path", str(target)),
        *("--log-path", str(log_dir)),
        "--use-colors" if use_colours() else "--no-use-colors",
        "--no-use-colors-file",
        "--no-quiet" if verbose else "--quiet",
    ]
    with _progress_bar(enabled=progress and not verbose) as on_event:
        try:
            with _working_directory(work_dir):
                result = dbtRunner(callbacks=[on_event]).invoke([*args, *options])
        finally:
            _release_warehouse()
    keep_parsed_project(target, parse_key)
    outcome = BuildOutcome(success=bool(result.success), log_file=log_dir / "dbt.log")
    if result.exception is not None:
        outcome.problems.append(f"dbt failed: {result.exception}")
    # by name: the order in which dbt's threads finished is not the same from one run to the next
    for node_result in sorted(getattr(result.result, "results", None) or [], key=lambda each: each.node.name):
        node = node_result.node
        status = str(node_result.status)
        if str(node.resource_type) == "operation" and status == "success":
            continue  # the project's hook (register_raw_lake: nothing to do on DuckDB) is not a node the user built
        outcome.counts[(str(node.resource_type), status)] += 1
        if status == "warn":
            outcome.warned[node.name] = int(node_result.failures or 0)
        elif status in ("fail", "error"):
            message = (node_result.message or "").strip().splitlines()
            outcome.problems.append(f"{status}: {node.name}: {message[0] if message else ''}")
            if status == "fail" and _test_name(node) == "column_rules_hold":
                outcome.problems += _broken_column_rules(db_path, node.compiled_code)
    return outcome


def _test_name(node: Any) -> str | None:
    """The generic test a test node runs (column_rules_hold, ...), None for other nodes."""
    metadata = getattr(node, "test_metadata", None)
    return getattr(metadata, "name", None)


def _broken_column_rules(db_path: Path, compiled_sql: str | None) -> list[str]:
    """The rules a failed column_rules_hold test found broken, a line each (its query run again on the work file):
    the test's name alone does not say which of a model's columns broke which rule."""
    if not compiled_sql or os.environ.get("ZFXXGK_TARGET", "dev") != "dev":
        return []
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        sql = f"select column_name, rule, breaking_row_count from ({compiled_sql}) order by all"
        rows = con.execute(sql).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    return [
        f"  {column} breaks {rule}"
        + (f": {count} value(s) repeated" if rule.startswith("unique") else f" in {count} row(s)")
        for column, rule, count in rows
    ]


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Any]:
    """A callback for dbt's events that advances a bar of the nodes done (of dbt's total) on stderr."""
    if not enabled:
        yield lambda event: None
        return
    with tqdm(total=0, desc="build", unit=" node", file=sys.stderr, leave=False) as bar:

        def on_event(event: Any) -> None:
            name = event.info.name
            if name == "LogStartLine" and bar.total != event.data.total:
                bar.total = event.data.total
                bar.refresh()
            elif name == "NodeFinished":
                bar.update(1)

        yield on_event


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    """Run with `path` as the working directory, then go back."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _release_warehouse() -> None:
    """Close the connection dbt-duckdb keeps for the life of the process, so the file can be checkpointed,
    published, or opened read-only next."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def build(
    db_path: Path,
    select: list[str] | None = None,
    project_dir: Path | None = None,
    full_refresh: bool = False,
    report_batch_size: int | None = None,
    reuse_seeds: bool = False,
    verbose: bool = False,
    progress: bool = False,
) -> BuildOutcome:
    """`dbt build`: seeds, models and their data tests, in dependency order. The per-report models rebuild only the
    reports changed since the last build (at most `report_batch_size` new or revised ones), unless `full_refresh`. The
    unit tests check the models' logic, not the data, so they are left to `make test` (run_unit_tests). `reuse_seeds`
    leaves the seeds and their tests out: the caller knows they have not changed since the last build
    (zfxxgk.build_state's fingerprint covers them)."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    if reuse_seeds:
        args += ["--exclude", "resource_type:seed"]
    return run_dbt(db_path, args, project_dir, report_batch_size=report_batch_size, verbose=verbose, progress=progress)


def run_unit_tests(db_path: Path, project_dir: Path | None = None) -> BuildOutcome:
    """The dbt unit tests (given rows in, expected rows out), against a built warehouse's relations."""
    return run_dbt(db_path, ["test", "--select", "test_type:unit"], project_dir)


def generate_docs(
    db_path: Path, target_path: Path, project_dir: Path | None = None, verbose: bool = False
) -> BuildOutcome:
    """`dbt docs generate`: the docs site (index.html, manifest.json, catalog.json) in `target_path`."""
    return run_dbt(db_path, ["docs", "generate"], project_dir, verbose=verbose, target_dir=target_path)
