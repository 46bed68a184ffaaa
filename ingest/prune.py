"""Files that disappeared: paths landed from under the folders given to an ingest that are no longer there.

An ingest never forgets a file on its own: `zfxxgk run 2024/` then `zfxxgk run 2025/` keeps both years. Given
`--prune`, it drops the landed paths under the given roots that the walk did not find, the reports none of whose
paths remain, their table cells and pages, and the rejections of missing paths; the next build removes those reports
from every mart. Without it, the missing paths are only counted, so the summary can say how to drop them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

MISSING_SQL = """
create or replace temp table missing_paths as
select source_path from (
    select source_path from raw.report_sources
    union all
    select source_path from raw.ingest_rejections
) as landed
where exists (
    select 1 from given_roots
    where landed.source_path = given_roots.root or starts_with(landed.source_path, given_roots.root || '/')
)
    and source_path not in (select source_path from present_paths)
"""

PRUNE_STATEMENTS = (
    """
    create or replace temp table orphaned_reports as
    select report_id from raw.reports
    where report_id in (
        select report_id from raw.report_sources where source_path in (select source_path from missing_paths)
    )
        and report_id not in (
            select report_id from raw.report_sources where source_path not in (select source_path from missing_paths)
        )
    """,
    "delete from raw.report_sources where source_path in (select source_path from missing_paths)",
    "delete from raw.ingest_rejections where source_path in (select source_path from missing_paths)",
    "delete from raw.report_table_cells where report_id in (select report_id from orphaned_reports)",
    "delete from raw.report_pages where report_id in (select report_id from orphaned_reports)",
    "delete from raw.reports where report_id in (select report_id from orphaned_reports)",
    # a report that keeps other paths takes the first of them as its canonical path
    """
    update raw.reports
    set source_path = canonical.source_path
    from (select report_id, min(source_path) as source_path from raw.report_sources group by report_id) as canonical
    where reports.report_id = canonical.report_id and reports.source_path <> canonical.source_path
    """,
)


@dataclass(frozen=True)
class MissingFiles:
    paths: int
    """Landed or rejected paths under the given roots that are gone."""
    reports: int
    """Reports none of whose paths remain (dropped when pruned)."""
    pruned: bool

    def describe(self) -> str:
        if not self.paths:
            return ""
        if self.pruned:
            return f"pruned {self.paths} missing file(s): {self.reports} report(s) leave the warehouse at the build"
        return (
            f"note: {self.paths} file(s) landed from under the given folders are gone ({self.reports} report(s) "
            "hold no other file); they stay in the warehouse: run again with --prune to drop them"
        )


@contextmanager
def _given(
    con: duckdb.DuckDBPyConnection, roots: Sequence[str | os.PathLike[str]], present: Sequence[Path]
) -> Iterator[None]:
    """The given roots and the present paths, registered as given_roots and present_paths (MISSING_SQL)."""
    given_roots = pa.table({"root": [os.path.abspath(root).rstrip("/") or "/" for root in roots]})
    present_paths = pa.table({"source_path": pa.array([str(path) for path in present], pa.string())})
    con.register("given_roots", given_roots)
    con.register("present_paths", present_paths)
    try:
        yield
    finally:
        con.unregister("given_roots")
        con.unregister("present_paths")


def missing_paths(
    con: duckdb.DuckDBPyConnection, roots: Sequence[str | os.PathLike[str]], present: Sequence[Path]
) -> list[str]:
    """The landed or rejected paths under `roots` that are not `present`: those a prune drops."""
    with _given(con, roots, present):
        con.execute(MISSING_SQL)
        return [path for (path,) in con.execute("select source_path from missing_paths").fetchall()]


def missing_files(
    con: duckdb.DuckDBPyConnection, roots: Sequence[str | os.PathLike[str]], present: Sequence[Path], prune: bool
) -> MissingFiles:
    """Count (and with `prune`, drop in one transaction) what was landed from under `roots` and is not `present`."""
    with _given(con, roots, present):
        return _count_and_prune(con, prune)


def _count_and_prune(con: duckdb.DuckDBPyConnection, prune: bool) -> MissingFiles:
    try:
        con.begin()
        con.execute(MISSING_SQL)
        con.execute(PRUNE_STATEMENTS[0])
        (paths,) = con.execute("select count(*) from missing_paths").fetchone() or (0,)
        (reports,) = con.execute("select count(*) from orphaned_reports").fetchone() or (0,)
        if prune and paths:
            for statement in PRUNE_STATEMENTS[1:]:
                con.execute(statement)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return MissingFiles(int(paths), int(reports), prune)
