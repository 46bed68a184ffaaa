"""The raw tables as a Parquet lake (`zfxxgk ingest ... --lake DIR`): every batch that changes them adds files.

The DuckDB raw tables stay the truth; the lake follows them, batch by batch, for readers that cannot open a DuckDB
file (Spark's dbt sources). Layout:

    DIR/<table>/batch=<N>/part-<i>.parquet     one folder per batch N (1, 2, 3 ...) for each of LAKE_KEYS' tables

Each file holds the columns of raw.<table>, in order, then `lake_batch_id` (N, bigint) and `is_tombstone` (boolean).
A batch that changes anything writes a folder for all five tables (a file with no rows where a table did not change),
so every table has files as soon as the lake has a batch. A file is never written again: a new batch adds folders.

What a batch holds, per table, for every key (LAKE_KEYS) whose rows the batch changed in DuckDB: every row the key
holds now, or, when it holds none any more (a replaced or pruned report, a rejection cleared), one tombstone row.
A report's table cells and pages are keyed by report_id: a batch that changes any of them writes all of them.
Reading rule (ingest/sql/lake_current.sql, `current_rows_sql`): a key's current rows are those of the latest batch
that wrote it, unless that batch wrote its tombstone.

A batch's changes are the difference between the rows the batch may touch (LAKE_KEYS' keys of its files, and of the
reports their paths held), copied before it lands, and the same rows once it has landed: a run on unchanged files
changes nothing and writes nothing. The copies leave out the report texts (NARROW_SKIPS): landing never changes the text
of a report that stays (a report's id is the hash of its text, and one removed and landed again gets a new
ingested_at), so a batch reads the texts only of the reports it writes, from the row groups that hold them. That is
right as long as the lake held the DuckDB rows before the batch, which `ingest_state.lake_exports` in the work file
keeps track of: a run that opens a lake it did not leave in step (a new lake, one an interrupted run left behind, one
another warehouse wrote to) first compares every table with the lake, whole rows by a hash per key, and writes the
difference as one batch.

A batch's files are written in DIR/_staging (which readers skip, as Spark skips names starting with '_') and each
table's folder is then renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.display import display_path
from ingest.land import LANDED_TABLES, ROW_GROUP_SIZE, SCHEMA_SQL

LAKE_KEYS = {
    "reports": "report_id",
    "report_sources": "source_path",
    "report_table_cells": "report_id",
    "report_pages": "report_id",
    "ingest_rejections": "source_path",
}
"""Each landed table and the key a lake batch writes its rows by: all the rows of a key, or its tombstone."""
assert set(LAKE_KEYS) == set(LANDED_TABLES)

READING_RULE_SQL = "".join(
    line
    for line in files("ingest").joinpath("sql", "lake_current.sql").read_text(encoding="utf-8").splitlines(True)
    if not line.startswith("--")
)
"""The current rows of one lake table, with {columns}, {key} and {files} to fill in (current_rows_sql): the select of
ingest/sql/lake_current.sql without its comment."""

NARROW_SKIPS = {"reports": ("raw_text", "text")}
"""Columns a batch's before-and-after comparison leaves out: landing never changes them for a key that stays."""

ROW_GROUP_RANGES = 256
"""A batch reads the reports it writes from the row groups that hold them (rowid ranges, which DuckDB prunes by), up to
this many row groups; more, and it scans the table once."""

WRITE_OPTIONS = "format parquet, compression zstd, filename_pattern 'part-{i}', file_size_bytes '256MB'"
"""How a batch's table is written: zstd (a fifth of the size of the default snappy for report texts), and files of
about 256 MB (part-0, part-1 ...; only the first comparison of a big corpus gets past part-0)."""

STATE_SQL = """
create schema if not exists ingest_state;
create table if not exists ingest_state.lake_exports (
    lake_dir varchar primary key,
    pending_batch_id bigint not null,
    synced_batch_id bigint not null
)
"""
"""Per lake (its absolute path), the last batch written in step with DuckDB (synced) and the batch being landed
(pending): a run that stopped between landing a batch and writing it leaves them different."""

BATCH_FOLDER = re.compile(r"batch=(\d+)")


class LakeInsideReportsError(ValueError):
    """The lake folder is under a folder given to ingest: its Parquet files would be walked as report files."""


def check_lake_outside(lake_dir: Path, paths: Iterable[str | os.PathLike[str]]) -> None:
    """Raise LakeInsideReportsError when `lake_dir` is one of `paths` or lies under one of them."""
    lake = lake_dir.resolve()
    for given in paths:
        root = Path(given).resolve()
        if lake == root or root in lake.parents:
            raise LakeInsideReportsError(
                f"the lake {display_path(lake_dir)} is inside {display_path(given)}, whose files are ingested as "
                "reports: choose a lake folder outside the report folders"
            )


def lake_columns(table: str) -> tuple[str, ...]:
    """The columns of raw.<table> in order, as ingest/sql/schema.sql creates them."""
    return _landed_columns()[table]


@cache
def _landed_columns() -> dict[str, tuple[str, ...]]:
    con = duckdb.connect()
    try:
        con.execute(SCHEMA_SQL)
        rows = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'raw' order by column_index"
        ).fetchall()
    finally:
        con.close()
    columns: dict[str, tuple[str, ...]] = {}
    for table, column in rows:
        columns[table] = (*columns.get(table, ()), column)
    return columns


def current_rows_sql(table: str, files_sql: str) -> str:
    """The reading rule for `table` over `files_sql`, a relation holding all the table's lake files (DuckDB:
    `read_parquet('DIR/<table>/*/*.parquet')`, Spark: ``parquet.`DIR/<table>` ``): its current rows."""
    columns = ", ".join(f"lake_rows.{column}" for column in lake_columns(table))
    return READING_RULE_SQL.format(columns=columns, key=LAKE_KEYS[table], files=files_sql)


def narrow_columns(table: str) -> str:
    """The columns of raw.<table> a batch compares before and after landing (all but NARROW_SKIPS)."""
    return ", ".join(column for column in lake_columns(table) if column not in NARROW_SKIPS.get(table, ()))


def duckdb_files_sql(lake_dir: Path, table: str) -> str:
    """The lake files of `table` as a DuckDB relation (the batch number comes from the files, not the folder)."""
    pattern = str(lake_dir / table / "batch=*" / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}', hive_partitioning = false, union_by_name = true)"


def batch_ids(lake_dir: Path, table: str) -> list[int]:
    """The batches the lake holds for `table`."""
    folder = lake_dir / table
    if not folder.is_dir():
        return []
    return sorted(int(match[1]) for entry in folder.iterdir() if (match := BATCH_FOLDER.fullmatch(entry.name)))


@dataclass
class LakeSummary:
    path: Path
    batches: list[int] = field(default_factory=list)
    """The batches this run wrote."""
    rows: int = 0
    tombstones: int = 0
    compared: bool = False
    """The run compared every table with the lake first (a new lake, or one not left in step with this warehouse)."""

    def describe(self) -> str:
        where = display_path(self.path)
        compared = "compared with the warehouse first: " if self.compared else ""
        if not self.batches:
            return f"lake {where}: {compared}no change, no file written"
        named = ", ".join(str(batch) for batch in self.batches)
        return (
            f"lake {where}: {compared}{len(self.batches)} batch(es) added ({named}): {self.rows} row(s), "
            f"{self.tombstones} tombstone(s)"
        )


class Lake:
    """The lake at `path`, kept in step with the raw tables of the DuckDB connection `con` (ingest.land.connect)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path.resolve()
        self.summary = LakeSummary(path)
        self.path.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.staging_root, ignore_errors=True)
        con.execute(STATE_SQL)
        held = {table: batch_ids(self.path, table) for table in LAKE_KEYS}
        self.last_batch = max((max(ids) for ids in held.values() if ids), default=0)
        state = con.execute(
            "select pending_batch_id, synced_batch_id from ingest_state.lake_exports where lake_dir = ?",
            [str(self.path)],
        ).fetchall()
        in_step = state == [(self.last_batch, self.last_batch)] and all(
            (ids[-1] if ids else 0) == self.last_batch for ids in held.values()
        )
        if not in_step:
            self.compare_all()

    @property
    def staging_root(self) -> Path:
        return self.path / "_staging"

    def compare_all(self) -> None:
        """Write, as one batch, the difference between every raw table and what the lake reads as current."""
        self.summary.compared = True
        self._set_state(self.last_batch + 1, self.last_batch)
        for table, key in LAKE_KEYS.items():
            if not batch_ids(self.path, table):
                self.con.execute(
                    f"create or replace temp table lake_changed_{table} as select distinct {key} from raw.{table}"
                )
                continue
            columns = ", ".join(lake_columns(table))
            lake_rows = current_rows_sql(table, duckdb_files_sql(self.path, table))
            self.con.execute(
                f"""
                create or replace temp table lake_changed_{table} as
                with warehouse_keys as (
                    select {key}, count(*) as row_count, sum(cast(hash({columns}) as hugeint)) as row_hash
                    from raw.{table}
                    group by {key}
                ),

                lake_keys as (
                    select {key}, count(*) as row_count, sum(cast(hash({columns}) as hugeint)) as row_hash
                    from ({lake_rows})
                    group by {key}
                )

                select coalesce(warehouse_keys.{key}, lake_keys.{key}) as {key}
                from warehouse_keys
                full outer join lake_keys on warehouse_keys.{key} = lake_keys.{key}
                where warehouse_keys.row_count is distinct from lake_keys.row_count
                    or warehouse_keys.row_hash is distinct from lake_keys.row_hash
                """
            )
        self._write_changes()

    @contextmanager
    def batch(self, report_ids: Iterable[str], source_paths: Iterable[str]) -> Iterator[None]:
        """Around the landing of one batch whose files are `source_paths` and whose new reports are `report_ids`:
        copy the rows it may touch before, and write what changed after. If the landing fails, nothing is written
        (and the state says the lake may be behind, so the next run compares)."""
        con = self.con
        paths = pa.table({"source_path": pa.array(list(source_paths), pa.string())})
        reports = pa.table({"report_id": pa.array(list(report_ids), pa.string())})
        con.register("lake_given_paths", paths)
        con.register("lake_given_reports", reports)
        try:
            con.execute(
                "create or replace temp table lake_candidate_paths as select distinct source_path from lake_given_paths"
            )
            # a path's report before the batch: the batch can replace it, and a replaced report can go
            con.execute(
                """
                create or replace temp table lake_candidate_reports as
                select report_id from lake_given_reports
                union
                select report_id from raw.report_sources
                where source_path in (select source_path from lake_candidate_paths)
                """
            )
        finally:
            con.unregister("lake_given_paths")
            con.unregister("lake_given_reports")
        for table, key in LAKE_KEYS.items():
            con.execute(
                f"create or replace temp table lake_before_{table} as select {narrow_columns(table)} from raw.{table} "
                f"where {key} in (select {key} from {_candidates(key)})"
            )
        self._set_state(self.last_batch + 1, self.last_batch)
        yield
        for table, key in LAKE_KEYS.items():
            after = (
                f"(select {narrow_columns(table)} from raw.{table} "
                f"where {key} in (select {key} from {_candidates(key)}))"
            )
            con.execute(
                f"""
                create or replace temp table lake_changed_{table} as
                select distinct {key} from (
                    select * from (select * from lake_before_{table} except all select * from {after})
                    union all
                    select * from (select * from {after} except all select * from lake_before_{table})
                )
                """
            )
            con.execute(f"drop table lake_before_{table}")
        self._write_changes()

    def _write_changes(self) -> None:
        """Write the current rows (or tombstones) of the keys in the lake_changed_<table> temp tables as the next
        batch, when there are any; then record that the lake is in step."""
        con = self.con
        changed = sum(_count(con, f"select count(*) from lake_changed_{table}") for table in LAKE_KEYS)
        if not changed:
            self._set_state(self.last_batch, self.last_batch)
            return
        batch_id = self.last_batch + 1
        staging = self.staging_root / f"batch={batch_id}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for table, key in LAKE_KEYS.items():
            rows = f"select {key} from lake_changed_{table}"
            self.summary.rows += _count(con, f"select count(*) from raw.{table} where {key} in ({rows})")
            self.summary.tombstones += _count(
                con, f"select count(*) from lake_changed_{table} where {key} not in (select {key} from raw.{table})"
            )
            target = str(staging / table).replace("'", "''")
            row_groups = f", row_group_size {ROW_GROUP_SIZE}" if table in NARROW_SKIPS else ""
            con.begin()  # one snapshot for the row ids _rows_filter finds and the copy that reads them
            con.execute(
                f"""
                copy (
                    select *, cast({batch_id} as bigint) as lake_batch_id, false as is_tombstone
                    from raw.{table}
                    where {self._rows_filter(table)}
                    union all by name
                    select {key}, cast({batch_id} as bigint) as lake_batch_id, true as is_tombstone
                    from lake_changed_{table}
                    where {key} not in (select {key} from raw.{table})
                ) to '{target}' ({WRITE_OPTIONS}{row_groups})
                """
            )
            con.commit()
        for table in LAKE_KEYS:
            (self.path / table).mkdir(exist_ok=True)
            os.rename(staging / table, self.path / table / f"batch={batch_id}")
        staging.rmdir()
        self.staging_root.rmdir()
        self.last_batch = batch_id
        self.summary.batches.append(batch_id)
        self._set_state(batch_id, batch_id)

    def _rows_filter(self, table: str) -> str:
        """Where the rows of the changed keys of `table` are; for a table of texts, also in which row groups, so that
        DuckDB reads the texts of those row groups only."""
        key = LAKE_KEYS[table]
        keys = f"{key} in (select {key} from lake_changed_{table})"
        if table not in NARROW_SKIPS:
            return keys
        ranges = self.con.execute(
            f"select min(rowid), max(rowid) from raw.{table} where {keys} group by rowid // {ROW_GROUP_SIZE} order by 1"
        ).fetchall()
        if not ranges:
            return "false"
        if len(ranges) > ROW_GROUP_RANGES:
            return keys
        return "(" + " or ".join(f"rowid between {low} and {high}" for low, high in ranges) + f") and {keys}"

    def _set_state(self, pending: int, synced: int) -> None:
        self.con.execute(
            """
            insert into ingest_state.lake_exports values ($lake, $pending, $synced)
            on conflict (lake_dir) do update set pending_batch_id = $pending, synced_batch_id = $synced
            """,
            {"lake": str(self.path), "pending": pending, "synced": synced},
        ).fetchall()


def _candidates(key: str) -> str:
    return "lake_candidate_reports" if key == "report_id" else "lake_candidate_paths"


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    ((count,),) = con.execute(sql).fetchall()
    return int(count)


def read_lake(con: duckdb.DuckDBPyConnection, lake_dir: Path, tables: Sequence[str] = tuple(LAKE_KEYS)) -> None:
    """Create a temp view lake_<table> of the current rows of each of `tables` (for DuckDB readers and the tests)."""
    for table in tables:
        con.execute(
            f"create or replace temp view lake_{table} as {current_rows_sql(table, duckdb_files_sql(lake_dir, table))}"
        )
