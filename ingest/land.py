"""Land decoded reports and rejections in DuckDB: one transaction per batch, set-based merges.

Tables (schema `raw`):
- `reports`: one row per distinct normalized text (report_id = first 16 hex of its SHA-256).
- `report_sources`: one row per source path, with the report it holds now.
- `ingest_rejections`: one row per source path whose latest version could not be loaded.
- `report_table_cells`: one row per cell of the tables a reader kept as tables, landed with the report's text.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ingest import LOADER_VERSION
from ingest.config import STORAGE_COMPATIBILITY_VERSION
from ingest.rejections import Rejection

LANDED_TABLES = ("reports", "report_sources", "report_table_cells", "ingest_rejections")
"""The tables ingest writes (SCHEMA_SQL); everything else in the warehouse is rebuilt by dbt."""

SCHEMA_SQL = """
create schema if not exists raw;

create table if not exists raw.reports (
    report_id varchar primary key,
    source_path varchar not null,
    file_hash varchar not null,
    byte_size bigint not null,
    encoding varchar not null,
    has_bom boolean not null,
    decode_note varchar,
    script varchar not null,
    raw_text varchar not null,
    text varchar not null,
    reader varchar not null,
    reader_version varchar not null,
    loader_version varchar not null,
    ingested_at timestamp with time zone not null
);

create table if not exists raw.report_sources (
    source_path varchar primary key,
    report_id varchar not null,
    file_hash varchar not null,
    byte_size bigint not null,
    loader_version varchar not null,
    first_seen_at timestamp with time zone not null,
    loaded_at timestamp with time zone not null
);

-- Table cells a reader hands over as cells (HTML <table>, PDF and DOCX tables), spans already expanded.
create table if not exists raw.report_table_cells (
    report_id varchar not null,
    table_no integer not null,
    row_no integer not null,
    col_no integer not null,
    cell_text varchar not null,
    primary key (report_id, table_no, row_no, col_no)
);

create table if not exists raw.ingest_rejections (
    source_path varchar primary key,
    reason varchar not null,
    detail varchar not null,
    file_hash varchar,
    byte_size bigint,
    rejected_at timestamp with time zone not null
);
"""

REJECTION_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("file_hash", pa.string()),
        ("byte_size", pa.int64()),
    ]
)

CELL_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("source_path", pa.string()),
        ("table_no", pa.int32()),
        ("row_no", pa.int32()),
        ("col_no", pa.int32()),
        ("cell_text", pa.string()),
    ]
)

MERGE_SQL = """
-- loaded_batch: the batch's readable files (ingest.chunk.CHUNK_COLUMNS); unchanged_batch: paths whose bytes did not
-- change; rejected_batch: the batch's rejections. report_id = first 16 hex digits of SHA-256(text),
-- computed by the worker processes (ingest.chunk.report_id).
create or replace temp table incoming as
select report_id, source_path, file_hash, byte_size
from loaded_batch;

create or replace temp table path_changes as
with previous as (
    select source_path, report_id as previous_report_id
    from raw.report_sources
    where source_path in (select source_path from incoming)
),

classified as (
    select
        incoming.source_path,
        incoming.report_id,
        previous.previous_report_id,
        exists (select 1 from raw.reports where reports.report_id = incoming.report_id) as report_existed,
        row_number() over (partition by incoming.report_id order by incoming.source_path) as copy_no
    from incoming
    left join previous on incoming.source_path = previous.source_path
)

select
    source_path,
    report_id,
    previous_report_id,
    report_existed,
    case
        when previous_report_id = report_id then 'unchanged'
        when previous_report_id is not null then 'replaced'
        when report_existed or copy_no > 1 then 'duplicate'
        else 'new'
    end as change
from classified;

-- the first path of each report not stored yet (window on the small columns, not the texts)
create or replace temp table stored_paths as
select source_path
from path_changes
where not report_existed
qualify row_number() over (partition by report_id order by source_path) = 1;

insert into raw.reports
select
    report_id, source_path, file_hash, byte_size, encoding, has_bom, decode_note, script,
    coalesce(raw_text_if_changed, text), text, reader, reader_version, $loader_version, now()
from loaded_batch
where source_path in (select source_path from stored_paths);

-- cells_batch: the table cells readers handed over (ingest.chunk.CELL_COLUMNS), landed with their report's text
insert into raw.report_table_cells
select report_id, table_no, row_no, col_no, cell_text
from cells_batch
where source_path in (select source_path from stored_paths);

-- a report read again from its canonical path (its reader's version changed, or --force) takes the cells and
-- reader of the new reading
create or replace temp table reread_paths as
select path_changes.source_path, path_changes.report_id
from path_changes
inner join raw.reports
    on path_changes.report_id = reports.report_id
    and path_changes.source_path = reports.source_path
where path_changes.report_existed;

delete from raw.report_table_cells
where report_id in (select report_id from reread_paths);

insert into raw.report_table_cells
select report_id, table_no, row_no, col_no, cell_text
from cells_batch
where source_path in (select source_path from reread_paths);

update raw.reports
set reader = loaded_batch.reader, reader_version = loaded_batch.reader_version
from loaded_batch
where reports.report_id = loaded_batch.report_id
    and loaded_batch.source_path in (select source_path from reread_paths)
    and (reports.reader <> loaded_batch.reader or reports.reader_version <> loaded_batch.reader_version);

insert into raw.report_sources
select source_path, report_id, file_hash, byte_size, $loader_version, now(), now()
from incoming
on conflict (source_path) do update set
    loaded_at = case
        when report_sources.report_id = excluded.report_id then report_sources.loaded_at
        else excluded.loaded_at
    end,
    report_id = excluded.report_id,
    file_hash = excluded.file_hash,
    byte_size = excluded.byte_size,
    loader_version = excluded.loader_version;

delete from raw.reports
where report_id in (select previous_report_id from path_changes where change = 'replaced')
    and report_id not in (select report_id from raw.report_sources);

delete from raw.report_table_cells
where report_id not in (select report_id from raw.reports);

update raw.reports
set source_path = canonical.source_path
from (
    select report_id, min(source_path) as source_path
    from raw.report_sources
    where report_id in (
        select report_id from path_changes
        union all
        select previous_report_id from path_changes where previous_report_id is not null
    )
    group by report_id
) as canonical
where reports.report_id = canonical.report_id
    and reports.source_path <> canonical.source_path;

delete from raw.ingest_rejections
where source_path in (select source_path from incoming)
    or source_path in (select source_path from unchanged_batch);

delete from raw.ingest_rejections
where source_path in (
    select rejected_batch.source_path
    from rejected_batch
    inner join raw.ingest_rejections as existing on rejected_batch.source_path = existing.source_path
    where existing.reason is distinct from rejected_batch.reason
        or existing.detail is distinct from rejected_batch.detail
        or existing.file_hash is distinct from rejected_batch.file_hash
);

insert into raw.ingest_rejections
select source_path, reason, detail, file_hash, byte_size, now()
from rejected_batch
where source_path not in (select source_path from raw.ingest_rejections);
"""

MERGE_STATEMENTS = [statement for statement in MERGE_SQL.split(";\n") if statement.strip()]


@dataclass
class BatchCounts:
    new: int = 0
    duplicate: int = 0
    unchanged: int = 0
    replaced: int = 0
    rejected: int = 0

    def add(self, other: BatchCounts) -> None:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))


ROW_GROUP_SIZE = 2048
"""Rows per DuckDB row group written by ingest (DuckDB's default is 122,880). A batch of this many
reports fills whole row groups, which DuckDB writes straight to the file at commit; with the default,
every commit would rewrite the growing, half-filled last row group of raw.reports."""


def connect(db_path: str) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for landing and make sure the raw tables exist."""
    con = duckdb.connect()
    quoted = db_path.replace("'", "''")
    storage = f"storage_version '{STORAGE_COMPATIBILITY_VERSION}'"
    con.execute(f"attach '{quoted}' as warehouse (row_group_size {ROW_GROUP_SIZE}, {storage})")
    con.execute("use warehouse")
    # DuckDB's default string compression spends seconds per checkpoint on long report texts;
    # zstd is as small and far faster. One thread: landing is a sequence of small statements and the
    # worker processes need the cores. No progress bar of DuckDB's own: ingest shows its own.
    con.execute("set force_compression = 'zstd'")
    con.execute("set threads = 1")
    con.execute("set enable_progress_bar = false")
    con.execute(SCHEMA_SQL)
    return con


def known_file_hashes(con: duckdb.DuckDBPyConnection, readers: dict[str, tuple[str, str]]) -> dict[str, str]:
    """source_path -> file hash of every path loaded by this loader version, unless the report it holds was read
    by an older version of the same reader (`readers`: extension -> (reader, version)): that file is read again."""
    current = pa.table(
        {
            "extension": list(readers),
            "reader": [reader for reader, _ in readers.values()],
            "reader_version": [version for _, version in readers.values()],
        },
        schema=pa.schema([("extension", pa.string()), ("reader", pa.string()), ("reader_version", pa.string())]),
    )
    con.register("current_reader_versions", current)
    try:
        rows = con.execute(
            """
            select sources.source_path, sources.file_hash
            from raw.report_sources as sources
            inner join raw.reports on sources.report_id = reports.report_id
            left join current_reader_versions as current
                on lower(regexp_extract(sources.source_path, '\\.[^./]*$')) = current.extension
            where sources.loader_version = ?
                and (reports.reader is distinct from current.reader or reports.reader_version = current.reader_version)
            """,
            [LOADER_VERSION],
        ).fetchall()
    finally:
        con.unregister("current_reader_versions")
    return dict(rows)


def land_batch(
    con: duckdb.DuckDBPyConnection,
    loaded: pa.Table,
    unchanged_paths: list[str],
    rejections: list[Rejection],
    cells: pa.Table | None = None,
) -> BatchCounts:
    """Merge one batch in a single transaction: either all of it lands or none of it."""
    unchanged_batch = pa.table({"source_path": pa.array(unchanged_paths, pa.string())})
    rejected_batch = pa.Table.from_pylist(
        [
            {
                "source_path": r.source_path,
                "reason": str(r.reason),
                "detail": r.detail,
                "file_hash": r.file_hash,
                "byte_size": r.byte_size,
            }
            for r in rejections
        ],
        schema=REJECTION_SCHEMA,
    )
    con.register("loaded_batch", loaded)
    con.register("unchanged_batch", unchanged_batch)
    con.register("rejected_batch", rejected_batch)
    con.register("cells_batch", cells if cells is not None else CELL_SCHEMA.empty_table())
    try:
        con.begin()
        for statement in MERGE_STATEMENTS:
            if "$loader_version" in statement:
                con.execute(statement, {"loader_version": LOADER_VERSION})
            else:
                con.execute(statement)
        changes = dict(con.execute("select change, count(*) from path_changes group by change").fetchall())
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        for name in ("loaded_batch", "unchanged_batch", "rejected_batch", "cells_batch"):
            con.unregister(name)
    return BatchCounts(
        new=changes.get("new", 0),
        duplicate=changes.get("duplicate", 0),
        unchanged=changes.get("unchanged", 0) + len(unchanged_paths),
        replaced=changes.get("replaced", 0),
        rejected=len(rejections),
    )
