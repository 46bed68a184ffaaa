"""The `zfxxgk` command: a thin shell over ingest_paths, build and warehouse_summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import duckdb

from ingest import LOADER_VERSION
from ingest.config import DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, IngestSettings, resolve_db_path
from ingest.dbt_build import ProjectNotFoundError, build, generate_docs
from ingest.discover import PathNotFoundError
from ingest.pipeline import ingest_paths
from ingest.summary import warehouse_summary

EXIT_OK, EXIT_BUILD_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db_path = resolve_db_path(args.db)
    try:
        return int(args.handler(args, db_path))
    except (PathNotFoundError, ProjectNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        print(
            f"error: {db_path} is open in another program (a BI tool, a duckdb shell, another zfxxgk run): "
            "close it, or use another --db, and run again",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _ingest(args: argparse.Namespace, db_path: Path) -> int:
    settings = IngestSettings.from_env(
        max_file_bytes=int(args.max_file_mb * 1024 * 1024) if args.max_file_mb else None,
        workers=args.workers,
        batch_size=args.batch_size,
        force=args.force or None,
        show_progress=False if args.no_progress else None,
    )
    summary = ingest_paths(args.paths, db_path, settings)
    print(f"ingest: {summary.describe()}")
    return EXIT_OK


def _build(args: argparse.Namespace, db_path: Path) -> int:
    outcome = build(db_path, args.select)
    print("build:\n" + outcome.describe())
    if not outcome.success:
        print(
            "error: the dbt build failed (see the lines above and logs/dbt.log); "
            "raw tables are kept, fix the cause and run `zfxxgk build` again",
            file=sys.stderr,
        )
        return EXIT_BUILD_FAILED
    return EXIT_OK


def _run(args: argparse.Namespace, db_path: Path) -> int:
    _ingest(args, db_path)
    status = _build(args, db_path)
    print(warehouse_summary(db_path))
    return status


def _docs(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        print(f"error: no warehouse at {db_path}: run `zfxxgk run PATH... --db {db_path}` first", file=sys.stderr)
        return EXIT_USAGE
    outcome = generate_docs(db_path, Path(args.out))
    if not outcome.success:
        print("error: dbt docs generate failed (see logs/dbt.log)", file=sys.stderr)
        return EXIT_BUILD_FAILED
    print(f"docs: {Path(args.out) / 'index.html'} (serve the folder, e.g. `python -m http.server -d {args.out}`)")
    return EXIT_OK


def _overview(args: argparse.Namespace, db_path: Path) -> int:
    if not db_path.is_file():
        print(f"error: no warehouse at {db_path}: run `zfxxgk run PATH... --db {db_path}` first", file=sys.stderr)
        return EXIT_USAGE
    from ingest.overview import write_overview

    print(write_overview(db_path, Path(args.out)).describe())
    return EXIT_OK


def _summary(args: argparse.Namespace, db_path: Path) -> int:
    print(warehouse_summary(db_path))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zfxxgk",
        description="Turn a folder of 政府信息公开工作年度报告 into a DuckDB warehouse of indicator values.",
    )
    parser.add_argument("--version", action="version", version=f"zfxxgk {version('zfxxgk')} (loader {LOADER_VERSION})")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def add(name: str, handler: object, help_text: str, ingests: bool, builds: bool) -> None:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        command.add_argument(
            "--db", help="DuckDB file (default: $ZFXXGK_DB, else warehouse/zfxxgk.duckdb)", default=None
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
            command.add_argument("--no-progress", action="store_true", help="never show a progress bar")
        if builds:
            command.add_argument("--select", nargs="+", default=None, help="dbt selection (default: everything)")

    add("ingest", _ingest, "land report files in the raw schema", ingests=True, builds=False)
    add("build", _build, "build the dbt models and run their tests on what is landed", ingests=False, builds=True)
    add("run", _run, "ingest PATH... then build: the whole pipeline", ingests=True, builds=True)
    add("summary", _summary, "print what the warehouse holds", ingests=False, builds=False)
    add("docs", _docs, "generate the dbt docs site (models, columns, lineage)", ingests=False, builds=False)
    commands.choices["docs"].add_argument(
        "--out", default="target/docs", help="folder of the site (default target/docs)"
    )
    add("overview", _overview, "write one self-contained HTML page of charts of the marts", ingests=False, builds=False)
    commands.choices["overview"].add_argument(
        "--out", default="overview.html", help="HTML file to write (default overview.html)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
