"""What the last successful build of a work file holds, and whether a new build has work to do.

The dbt models rebuild only the reports whose landed rows changed (macros/incremental_reports.sql). Two things
decide, before dbt starts, what a build must do:
- the project fingerprint: a hash of everything that shapes the built tables (models, macros, seeds, the Python the
  models import, dbt_project.yml, the versions of zfxxgk and dbt). A build records it in marts.mart_build_stamp;
  when the project changed since, every model is rebuilt from scratch (a new release must not leave old rows behind);
- the reports changed since intermediate.int_reports_built was written: new, revised or removed. With none, and the
  same fingerprint, the build is skipped.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from ingest import LOADER_VERSION

DEFAULT_BUILD_BATCH = 25_000
"""New or revised reports per dbt build: a bigger corpus is built batch by batch (the per-report models are
incremental), so a fresh build of 100,000 reports holds no more in memory than one of 25,000."""

BUILD_STAMP = "marts.mart_build_stamp"
"""The one-row table of the build a file holds (models/marts/mart_build_stamp.sql)."""
OLD_BUILD_STAMP = "marts.dim_build"
"""Its name in files built before it was renamed (a view over it for one release)."""

FINGERPRINTED = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "zfxxgk/digit_runs.py",
    "zfxxgk/run_search.py",
    "zfxxgk/spark_runs.py",
)
"""What shapes the built tables, relative to the project folder. Data tests only read the tables."""

# The revision of each landed report, as macros/incremental_reports.sql's report_revision computes it over
# staging.stg_reports (tests/python/test_incremental.py checks that the two agree).
CHANGED_REPORTS_SQL = """
with source_counts as (
    select report_id, count(*) as source_path_count from raw.report_sources group by report_id
),

current_revisions as (
    select
        reports.report_id,
        md5(concat_ws('|', reports.report_id, reports.source_path, cast(source_counts.source_path_count as varchar),
            reports.reader, reports.reader_version, reports.loader_version)) as revision
    from raw.reports
    left join source_counts on reports.report_id = source_counts.report_id
)

select
    (select count(*) from current_revisions
        left join intermediate.int_reports_built as built on current_revisions.report_id = built.report_id
        where built.revision is distinct from current_revisions.revision) as new_or_revised,
    (select count(*) from intermediate.int_reports_built as built
        anti join current_revisions on built.report_id = current_revisions.report_id) as removed
"""


@dataclass(frozen=True)
class BuildState:
    """What a work file's last successful build holds, against what is landed now."""

    fingerprint: str | None
    """The project fingerprint of the last successful build (None: never built, or by an older zfxxgk)."""
    new_or_revised: int
    removed: int
    build_id: str | None

    @property
    def changed(self) -> int:
        return self.new_or_revised + self.removed


def project_fingerprint(project_dir: Path) -> str:
    """A hash of the files that shape the built tables and of the zfxxgk and dbt versions."""
    digest = hashlib.sha256()
    digest.update(f"zfxxgk {version('zfxxgk')} loader {LOADER_VERSION} dbt {version('dbt-core')}\n".encode())
    for name in FINGERPRINTED:
        root = project_dir / name
        files = [root] if root.is_file() else sorted(path for path in root.rglob("*") if path.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def build_batch_reports() -> int:
    """Reports per build batch: $ZFXXGK_BUILD_BATCH, else DEFAULT_BUILD_BATCH."""
    return int(os.environ.get("ZFXXGK_BUILD_BATCH") or DEFAULT_BUILD_BATCH)


def landed_report_count(work: Path) -> int:
    """How many reports the work file holds."""
    con = duckdb.connect(str(work), read_only=True)
    try:
        (count,) = con.execute("select count(*) from raw.reports").fetchone() or (0,)
    finally:
        con.close()
    return int(count)


def build_stamp_table(con: duckdb.DuckDBPyConnection) -> str:
    """The build stamp of the warehouse `con` reads: BUILD_STAMP, or OLD_BUILD_STAMP in a file built before the
    rename (neither may exist: querying the result then raises duckdb.CatalogException)."""
    (renamed,) = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name = 'mart_build_stamp'"
    ).fetchone()
    return BUILD_STAMP if renamed else OLD_BUILD_STAMP


def read_build_state(work: Path) -> BuildState:
    """The state of the work file `work` (which must exist); an unbuilt file has no fingerprint."""
    con = duckdb.connect(str(work), read_only=True)
    try:
        try:
            fingerprint, build_id = con.execute(
                f"select project_fingerprint, build_id from {build_stamp_table(con)}"
            ).fetchone()
            new_or_revised, removed = con.execute(CHANGED_REPORTS_SQL).fetchone()
        except (duckdb.CatalogException, duckdb.BinderException, TypeError):
            return BuildState(None, 0, 0, None)
    finally:
        con.close()
    return BuildState(fingerprint or None, int(new_or_revised), int(removed), build_id)


def published_build_id(published: Path) -> str | None:
    """The build_id of the published file, or None when there is none (or it cannot be read)."""
    if not published.is_file():
        return None
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"select build_id from {build_stamp_table(con)}").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None
