"""The `zfxxgk` command: a thin shell over ingest_paths, build and warehouse_summary."""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import duckdb

from ingest import LOADER_VERSION
from ingest.config import DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, IngestSettings
from ingest.discover import PathNotFoundError
from ingest.display import display_path, display_text
from ingest.lake import LakeInsideReportsError
from ingest.pipeline import ingest_paths
from zfxxgk.build_state import (
    build_batch_reports,
    landed_report_count,
    project_fingerprint,
    published_build_id,
    read_build_state,
)
from zfxxgk.build_warnings import describe_warnings
from zfxxgk.config import resolve_db_path
from zfxxgk.dbt_build import ProjectNotFoundError, build, dbt_log_dir, find_project_dir, generate_docs
from zfxxgk.publish import PublishError, prepare_work_database, publish, work_database_path
from zfxxgk.serve.export import FORMATS, PARTITION_MIN_ROWS, ExportError, export_marts
from zfxxgk.serve.summary import warehouse_summary
from zfxxgk.warehouse_lock import WarehouseBusyError, warehouse_lock

EXIT_OK, EXIT_BUILD_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
"""The reader of the output went away (`zfxxgk summary | head -3`): the status of a process killed by SIGPIPE."""
UNADDRESSABLE_NAME_CHARACTERS = ("'", '"')
"""Characters a warehouse file name cannot hold: dbt-duckdb names the database after the file and quotes it."""
WRITERS = frozenset({"ingest", "build", "run", "docs"})
"""Commands that write the work file (docs too: dbt opens it to read the catalog): one at a time per warehouse."""
RUNS_DBT = frozenset({"build", "run", "docs"})
"""Commands that run dbt: its target/ and logs/ go to the warehouse's work folder, its log to the screen on -v."""


def _quiet_on_broken_pipe(run: Callable[[Sequence[str] | None], int]) -> Callable[[Sequence[str] | None], int]:
    """Stop quietly with EXIT_BROKEN_PIPE, not a traceback, when stdout is a pipe closed by its reader."""

    @functools.wraps(run)
    def wrapper(argv: Sequence[str] | None = None) -> int:
        try:
            try:
                return run(argv)
            finally:
                sys.stdout.flush()  # here, not at exit, where a broken pipe can no longer be caught
        except BrokenPipeError:
            # Python flushes stdout again at exit: point it at /dev/null so that flush has nowhere to fail.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_BROKEN_PIPE

    return wrapper


@_quiet_on_broken_pipe
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db_path = resolve_db_path(args.db)
    if args.command in WRITERS and any(quote in db_path.name for quote in UNADDRESSABLE_NAME_CHARACTERS):
        print(
            f"error: the warehouse file name {display_path(db_path.name)} holds a quote, which dbt cannot address "
            "(its catalog queries quote the database name): choose a --db file name without ' or \"",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        with _writer_lock(args, db_path):
            return int(args.handler(args, db_path))
    except (PathNotFoundError, LakeInsideReportsError, ProjectNotFoundError, PublishError, WarehouseBusyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        print(
            f"error: the work file {display_path(work_database_path(db_path))} is open in another program (a tool "
            "opened it): close it, and run again. "
            f"Readers of {display_path(db_path)} never block a run: it is replaced, not written.",
            file=sys.stderr,
        )
        return EXIT_USAGE


@contextmanager
def _writer_lock(args: argparse.Namespace, db_path: Path) -> Iterator[None]:
    """The warehouse's lock around a command that writes (zfxxgk.warehouse_lock); none around a reader."""
    if args.command not in WRITERS:
        yield
        return
    with warehouse_lock(db_path, args.command, wait=args.wait, say=lambda line: print(line, flush=True)):
        yield


def _land(args: argparse.Namespace, db_path: Path) -> Path:
    """Land the files in the work file of `db_path`; return the work file."""
    settings = IngestSettings.from_env(
        max_file_bytes=int(args.max_file_mb * 1024 * 1024) if args.max_file_mb else None,
        workers=args.workers,
        batch_size=args.batch_size,
        force=args.force or None,
        prune=args.prune or None,
        show_progress=False if args.no_progress else None,
    )
    work = prepare_work_database(db_path)
    summary = ingest_paths(args.paths, work, settings, lake_dir=Path(args.lake) if args.lake else None)
    print(f"ingest: {summary.describe()}")
    return work


def _ingest(args: argparse.Namespace, db_path: Path) -> int:
    work = _land(args, db_path)
    shown = display_path(db_path)
    print(f"landed in the work file {display_path(work)}: `zfxxgk build --db {shown}` builds it and publishes {shown}")
    return EXIT_OK


def _build(args: argparse.Namespace, db_path: Path) -> int:
    started = time.time()
    status = _build_and_publish(args, db_path)
    _say_dbt_log(db_path, started)
    return status


def _say_dbt_log(db_path: Path, started: float) -> None:
    """The last line of a command that ran dbt (its log written since `started`): where dbt's log is."""
    log_file = dbt_log_dir(work_database_path(db_path)) / "dbt.log"
    if log_file.is_file() and log_file.stat().st_mtime >= started - 1:
        print(f"dbt's log: {display_path(log_file)}")


def _build_and_publish(args: argparse.Namespace, db_path: Path) -> int:
    project_dir = find_project_dir()
    work = prepare_work_database(db_path)
    if not work.exists():
        shown = display_path(db_path)
        raise PublishError(f"nothing is landed for {shown}: run `zfxxgk run PATH... --db {shown}` first")
    fingerprint = project_fingerprint(project_dir)
    state = read_build_state(work)
    full_refresh = bool(args.full_refresh) or state.fingerprint != fingerprint
    if not full_refresh and not state.changed and not args.select:
        print(
            "build: nothing changed since the last build: the models were not run "
            "(`zfxxgk build --full-refresh` rebuilds every report)"
        )
        if published_build_id(db_path) == state.build_id:
            print(f"{display_path(db_path)} holds that build already")
            return EXIT_OK
        print(publish(work, db_path).describe())
        return EXIT_OK
    if full_refresh:
        reason = "as asked" if args.full_refresh else "the project changed" if state.fingerprint else "first build"
        print(f"build: every report ({reason})")
        pending = landed_report_count(work)
    else:
        print(f"build: {state.new_or_revised} new or revised report(s), {state.removed} removed")
        pending = state.changed
    batch_size = args.batch_reports or build_batch_reports()
    batches = max(1, -(-pending // batch_size))
    batch_no = 0
    while True:
        batch_no += 1
        first = batch_no == 1
        if batches > 1:
            print(f"build: batch {batch_no} of {batches} (at most {batch_size:,} new or revised reports)", flush=True)
        outcome = build(
            work,
            args.select,
            full_refresh=full_refresh and first,
            report_batch_size=batch_size,
            reuse_seeds=not (full_refresh and first),
            verbose=args.verbose,
            progress=sys.stderr.isatty() and not getattr(args, "no_progress", False),
        )
        print("build:\n" + outcome.describe(), flush=True)
        if not outcome.success:
            print(
                "error: the dbt build failed (see the lines above, and dbt's log "
                f"{display_path(outcome.log_file or dbt_log_dir(work))}). Nothing was published: readers "
                f"of {display_path(db_path)} keep the previous build. The landed reports stay in {display_path(work)}; "
                "fix the cause and run "
                "`zfxxgk build` again (it goes on from the reports already built)",
                file=sys.stderr,
            )
            return EXIT_BUILD_FAILED
        for warning in describe_warnings(work, outcome.warned):
            print(f"warning: {warning}", flush=True)
        if args.select:
            break
        remaining = read_build_state(work).changed
        if not remaining:
            break
        if remaining >= pending:
            print(f"error: a build batch left {remaining} report(s) unbuilt; run `zfxxgk build` again", file=sys.stderr)
            return EXIT_BUILD_FAILED
        pending = remaining
    print(publish(work, db_path).describe())
    return EXIT_OK


def _run(args: argparse.Namespace, db_path: Path) -> int:
    started = time.time()
    _land(args, db_path)
    status = _build_and_publish(args, db_path)
    if status == EXIT_OK:
        print(warehouse_summary(db_path))
    _say_dbt_log(db_path, started)
    return status


def _docs(args: argparse.Namespace, db_path: Path) -> int:
    started = time.time()
    work = prepare_work_database(db_path)
    if not work.is_file():
        _no_warehouse(db_path)
        return EXIT_USAGE
    outcome = generate_docs(work, Path(args.out), verbose=args.verbose)
    if not outcome.success:
        print(
            f"error: dbt docs generate failed (see the lines above, and {display_path(outcome.log_file)})",
            file=sys.stderr,
        )
        return EXIT_BUILD_FAILED
    out = display_path(args.out)
    print(
        f"docs: {display_path(Path(args.out) / 'index.html')} (serve the folder, e.g. `python -m http.server -d {out}`)"
    )
    _say_dbt_log(db_path, started)
    return EXIT_OK


def _export(args: argparse.Namespace, db_path: Path) -> int:
    try:
        summary = export_marts(db_path, Path(args.out), args.format, args.partition_min_rows)
    except ExportError as error:
        print(f"error: {display_text(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    print("export: " + summary.describe())
    return EXIT_OK


def _overview(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        _no_warehouse(db_path)
        return EXIT_USAGE
    from zfxxgk.serve.overview import ReportsModelsMissing, write_overview

    try:
        print(write_overview(db_path, Path(args.out)).describe())
    except ReportsModelsMissing as missing:
        shown = display_path(db_path)
        print(
            f"error: {shown} has no {missing} (built before the reports models): run `zfxxgk build --db {shown}` first",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def _summary(args: argparse.Namespace, db_path: Path) -> int:
    work = work_database_path(db_path)
    if not db_path.is_file() and work.exists():
        shown = display_path(db_path)
        print(
            f"error: nothing published at {shown} yet: reports are landed in {display_path(work)}, "
            f"run `zfxxgk build --db {shown}`",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not db_path.is_file():
        _no_warehouse(db_path)
        return EXIT_USAGE
    print(warehouse_summary(db_path))
    return EXIT_OK


def _no_warehouse(db_path: Path) -> None:
    shown = display_path(db_path)
    print(f"error: no warehouse at {shown}: run `zfxxgk run PATH... --db {shown}` first", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zfxxgk",
        description="Turn a folder of 政府信息公开工作年度报告 into a DuckDB warehouse of indicator values.",
    )
    parser.add_argument("--version", action="version", version=f"zfxxgk {version('zfxxgk')} (loader {LOADER_VERSION})")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def add(name: str, handler: object, help_text: str, ingests: bool, builds: bool) -> None:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler, command=name)
        command.add_argument(
            "--db",
            default=None,
            help="the published DuckDB file (default: $ZFXXGK_DB, else warehouse/zfxxgk.duckdb); "
            "ingest and dbt work in <name>-work/ beside it",
        )
        if name in RUNS_DBT:
            command.add_argument(
                "-v",
                "--verbose",
                action="store_true",
                help="show dbt's own log as it runs (default: the steps, counts and warnings; dbt's log "
                "is always written to <name>-work/logs/dbt.log)",
            )
        if name in WRITERS:
            command.add_argument(
                "--wait",
                action="store_true",
                help="when another zfxxgk command is writing this warehouse, wait for it (default: fail at once)",
            )
        if ingests:
            command.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (recursive)")
            command.add_argument(
                "--max-file-mb",
                type=float,
                default=None,
                help=f"reject files larger than this (default {DEFAULT_MAX_FILE_MB:g}, or $ZFXXGK_MAX_FILE_MB)",
            )
            command.add_argument(
                "--workers", type=int, default=None, help="worker processes (default: one per core for big batches)"
            )
            command.add_argument(
                "--batch-size",
                type=int,
                default=None,
                help=f"files per database transaction (default {DEFAULT_BATCH_SIZE})",
            )
            command.add_argument("--force", action="store_true", help="decode unchanged files again")
            command.add_argument(
                "--prune",
                action="store_true",
                help="drop the files landed from under PATH... that are gone (default: keep them, and say so)",
            )
            command.add_argument("--no-progress", action="store_true", help="never show a progress bar")
            command.add_argument(
                "--lake",
                default=None,
                metavar="DIR",
                help="also add what changed in the raw tables to the Parquet lake in DIR, for Spark "
                "(docs/ingest.md#the-raw-layer-as-a-parquet-lake)",
            )
        if builds:
            command.add_argument("--select", nargs="+", default=None, help="dbt selection (default: everything)")
            command.add_argument(
                "--batch-reports",
                type=int,
                default=None,
                help="build at most this many new or changed reports at a time, so memory stays bounded "
                "(default $ZFXXGK_BUILD_BATCH, else 25000)",
            )
            command.add_argument(
                "--full-refresh",
                action="store_true",
                help="rebuild every report (default: only those new, changed or removed since the last build)",
            )

    add("ingest", _ingest, "land report files in the work file (not yet published)", ingests=True, builds=False)
    add(
        "build",
        _build,
        "build the dbt models and run their tests on what is landed; publish the warehouse when they pass",
        ingests=False,
        builds=True,
    )
    add("run", _run, "ingest PATH... then build and publish: the whole pipeline", ingests=True, builds=True)
    add("summary", _summary, "print what the warehouse holds", ingests=False, builds=False)
    add("docs", _docs, "generate the dbt docs site (models, columns, lineage)", ingests=False, builds=False)
    commands.choices["docs"].add_argument(
        "--out", default="target/docs", help="folder of the site (default target/docs)"
    )
    add(
        "export", _export, "write the marts as Parquet or CSV files with a data dictionary", ingests=False, builds=False
    )
    commands.choices["export"].add_argument(
        "--out", required=True, help="folder of the files: new, empty, or an earlier export (which is replaced)"
    )
    commands.choices["export"].add_argument("--format", choices=FORMATS, default="parquet", help="default parquet")
    commands.choices["export"].add_argument(
        "--partition-min-rows",
        type=int,
        default=PARTITION_MIN_ROWS,
        metavar="N",
        help=f"Parquet: report_year tables of N rows or more become folders of years (default {PARTITION_MIN_ROWS})",
    )
    add("overview", _overview, "write one self-contained HTML page of charts of the marts", ingests=False, builds=False)
    commands.choices["overview"].add_argument(
        "--out", default="overview.html", help="HTML file to write (default overview.html)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
