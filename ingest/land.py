"""Land decoded reports and rejections in DuckDB: one transaction per batch, set-based merges.

Tables (schema `raw`):
- `reports`: one row per distinct normalized text (report_id = first 16 hex of its SHA-256).
- `report_sources`: one row per source path, with the report it holds now.
- `ingest_rejections`: one row per source path whose latest version could not be loaded.
- `report_table_cells`: one row per cell of the tables a reader kept as tables, landed with the report's text.
- `report_pages`: one row per page of a paged document (PDF): the line of the text it starts on, landed likewise.

The SQL lives in ingest/sql: schema.sql creates the tables, merge.sql merges a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import duckdb
import pyarrow as pa

from ingest import LOADER_VERSION
from ingest.config import STORAGE_COMPATIBILITY_VERSION
from ingest.rejections import Rejection


def _sql(name: str) -> str:
    """The text of ingest/sql/<name>, shipped with the package."""
    return files("ingest").joinpath("sql", name).read_text(encoding="utf-8")


LANDED_TABLES = ("reports", "report_sources", "report_table_cells", "report_pages", "ingest_rejections")
"""The tables ingest writes (SCHEMA_SQL); everything else in the warehouse is rebuilt by dbt."""

SCHEMA_SQL = _sql("schema.sql")
"""Creates the landed tables (LANDED_TABLES) when they do not exist yet."""

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

PAGE_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("source_path", pa.string()),
        ("page_no", pa.int32()),
        ("first_line_no", pa.int32()),
        ("line_count", pa.int32()),
    ]
)

MERGE_STATEMENTS = [statement.query for statement in duckdb.extract_statements(_sql("merge.sql"))]
"""The statements that merge one batch, in order, as DuckDB's parser splits ingest/sql/merge.sql."""


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
    pages: pa.Table | None = None,
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
    con.register("pages_batch", pages if pages is not None else PAGE_SCHEMA.empty_table())
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
        for name in ("loaded_batch", "unchanged_batch", "rejected_batch", "cells_batch", "pages_batch"):
            con.unregister(name)
    return BatchCounts(
        new=changes.get("new", 0),
        duplicate=changes.get("duplicate", 0),
        unchanged=changes.get("unchanged", 0) + len(unchanged_paths),
        replaced=changes.get("replaced", 0),
        rejected=len(rejections),
    )
