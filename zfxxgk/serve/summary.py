"""What the warehouse holds: the closing lines of `zfxxgk run` and `zfxxgk summary`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.display import display_path

COUNT_QUERIES = {
    "reports": "select count(*) from raw.reports",
    "source paths": "select count(*) from raw.report_sources",
    "rejected files": "select count(*) from raw.ingest_rejections",
    "report lines": "select count(*) from staging.stg_report_lines",
    "web page furniture lines": "select count(*) from staging.stg_report_lines where is_furniture",
    "indicator values": "select count(*) from marts.fct_indicator_values",
    "  of them blank cells": "select count(*) from marts.fct_indicator_values where value is null",
    "  of them from prose": "select count(*) from marts.fct_indicator_values where source_kind = 'prose'",
    "table issues": "select count(*) from intermediate.int_table_extraction_issues",
    "prose conflicts": "select count(*) from intermediate.int_prose_conflicts_detected",
    "quality issues": "select count(*) from marts.fct_quality_issues",
}


def warehouse_summary(db_path: Path) -> str:
    """A few lines describing the warehouse at `db_path`; tables not built yet are skipped."""
    if not db_path.exists():
        return f"no warehouse at {display_path(db_path)}: run `zfxxgk run PATH...` first"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        lines = []
        for label, query in COUNT_QUERIES.items():
            try:
                (count,) = con.execute(query).fetchone() or (0,)
            except duckdb.CatalogException:
                continue
            lines.append(f"  {label:<26}{count:>10,}")
        try:
            for reason, count in con.execute(
                "select reason, count(*) from raw.ingest_rejections group by reason order by reason"
            ).fetchall():
                lines.append(f"    rejected as {reason:<20}{count:>8,}")
        except duckdb.CatalogException:
            pass
    finally:
        con.close()
    return "\n".join([f"warehouse {display_path(db_path.resolve())}:", *lines])
