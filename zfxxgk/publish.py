"""Publishing: ingest and dbt write to a work file; readers see only the published copy of a successful build.

DuckDB lets one process write a file at a time, and a reader that opens a file during a dbt build would see
some marts rebuilt and others not. So `zfxxgk run` lands and builds in a work file beside the published one
(warehouse/zfxxgk-work/zfxxgk.duckdb for warehouse/zfxxgk.duckdb) and, once the build succeeded, copies it to a
temporary file next to the published one and renames that over it. A rename is atomic: a reader that opens the
published file gets the previous build or the new one, never a mix, and one that holds it open keeps reading the
build it opened. A failed build is never published.

The work file stays between runs, with every landed report in it: the next run reads only new or changed files.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.display import display_path
from ingest.land import LANDED_TABLES, connect

WORK_FOLDER_SUFFIX = "-work"


class PublishError(RuntimeError):
    """The work file cannot be published (it is missing, or it was never built)."""


@dataclass(frozen=True)
class Publication:
    path: Path
    byte_size: int
    seconds: float
    storage_version: str

    def describe(self) -> str:
        return (
            f"published {display_path(self.path)} ({self.byte_size / 1e6:,.1f} MB in {self.seconds:.1f} s, "
            f"readable by DuckDB {self.storage_version} and newer; connect read-only)"
        )


def work_database_path(published: Path) -> Path:
    """Where ingest and dbt write: a folder beside the published file, the file keeping its name
    (dbt-duckdb names the catalog after the file, so the views read the same either way)."""
    return published.parent / f"{published.stem}{WORK_FOLDER_SUFFIX}" / published.name


def prepare_work_database(published: Path) -> Path:
    """The work file for `published`, created from the published file's landed tables when there is none yet
    (a warehouse copied from elsewhere, or published by a zfxxgk that wrote in place), so no report is read again."""
    work = work_database_path(published)
    if work.exists() or not published.exists():
        return work
    work.parent.mkdir(parents=True, exist_ok=True)
    seeding = work.with_name(work.name + ".seeding")
    seeding.unlink(missing_ok=True)
    con = connect(str(seeding))
    try:
        con.execute(f"attach '{_quoted(published)}' as published (read_only)")
        present = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'published' and schema_name = 'raw'"
            ).fetchall()
        }
        for table in LANDED_TABLES:
            if table in present:
                con.execute(f"insert into raw.{table} by name select * from published.raw.{table}")
        con.execute("detach published")
    finally:
        con.close()
    os.replace(seeding, work)
    return work


def publish(work: Path, published: Path) -> Publication:
    """Copy the built work file beside `published` and rename it over `published` (atomic on one file system)."""
    started = time.perf_counter()
    if not work.is_file():
        raise PublishError(
            f"no work file at {display_path(work)}: run `zfxxgk run PATH... --db {display_path(published)}` first"
        )
    con = duckdb.connect(str(work))
    try:
        con.execute("checkpoint")
        (tags,) = con.execute(
            "select tags from duckdb_databases() where database_name = current_database()"
        ).fetchone() or ({},)
    finally:
        con.close()
    storage_version = str((tags or {}).get("storage_version", "")).rstrip("+")
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.publishing-{os.getpid()}")
    try:
        shutil.copyfile(work, staging)
        with open(staging, "rb+") as handle:
            os.fsync(handle.fileno())
        # A write-ahead log beside the published file belongs to the file being replaced (an older zfxxgk wrote
        # in place): DuckDB would replay it into the new one.
        published.with_name(published.name + ".wal").unlink(missing_ok=True)
        os.replace(staging, published)
    finally:
        staging.unlink(missing_ok=True)
    _sync_folder(published.parent)
    return Publication(published, published.stat().st_size, time.perf_counter() - started, storage_version)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
