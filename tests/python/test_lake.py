"""The raw layer as a Parquet lake (`zfxxgk ingest ... --lake DIR`, ingest/lake.py): what the lake reads as current
is what DuckDB's raw tables hold, row for row, and an ingest only ever adds files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SEED_SENTENCE

import ingest.lake
from ingest.config import IngestSettings
from ingest.lake import LAKE_KEYS, Lake, current_rows_sql, read_lake
from ingest.pipeline import ingest_paths
from zfxxgk.cli import _parser, main
from zfxxgk.publish import work_database_path

TABLE_PAGE = (
    "<html><head><title>某县2023年政府信息公开工作年度报告</title></head><body>"
    "<h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
    "<table><tr><td>信息内容</td><td>本年新制作数量</td></tr><tr><td>规章</td><td>3</td></tr></table>"
    "</body></html>"
)


def write_reports(folder: Path) -> None:
    """a.txt and d.txt hold one report; b.txt, c.html (a table of four cells) one each; bad.txt is empty."""
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (folder / "d.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (folder / "b.txt").write_text(SEED_SENTENCE.replace("4934", "1111"), encoding="utf-8")
    (folder / "c.html").write_text(TABLE_PAGE, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"")


def run_ingest(folder: Path, db_path: Path, lake: Path, *flags: str) -> None:
    """`zfxxgk ingest FOLDER --db DB_PATH --lake LAKE`."""
    assert main(["ingest", str(folder), "--db", str(db_path), "--lake", str(lake), "--no-progress", *flags]) == 0


def lake_files(lake: Path) -> dict[str, tuple[int, int]]:
    """Every file of the lake: its path under the lake, its size and its modification time."""
    return {
        str(path.relative_to(lake)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(lake.rglob("*"))
        if path.is_file()
    }


def batch_files(batch: int) -> set[str]:
    return {f"{table}/batch={batch}/part-0.parquet" for table in LAKE_KEYS}


def differences(db_path: Path, lake: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: rows of DuckDB's raw table missing from the lake's current rows, rows of the lake missing from the
    raw table (both `except all`), and the lake's current row count."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{work_database_path(db_path)}' as warehouse (read_only)")
        read_lake(con, lake)
        result = {}
        for table in LAKE_KEYS:
            ((missing,),) = con.execute(
                f"select count(*) from (select * from warehouse.raw.{table} except all select * from lake_{table})"
            ).fetchall()
            ((extra,),) = con.execute(
                f"select count(*) from (select * from lake_{table} except all select * from warehouse.raw.{table})"
            ).fetchall()
            ((rows,),) = con.execute(f"select count(*) from lake_{table}").fetchall()
            result[table] = (missing, extra, rows)
        return result
    finally:
        con.close()


def batch_contents(lake: Path, batch: int) -> dict[str, tuple[int, int]]:
    """Per table: the rows and the tombstones batch `batch` wrote (each marked with its batch number)."""
    con = duckdb.connect()
    contents = {}
    try:
        for table in LAKE_KEYS:
            files = lake / table / f"batch={batch}" / "*.parquet"
            ((rows, tombstones, other_batches),) = con.execute(
                "select count(*) filter (where not is_tombstone), count(*) filter (where is_tombstone), "
                f"count(*) filter (where lake_batch_id <> {batch}) from read_parquet('{files}')"
            ).fetchall()
            assert other_batches == 0
            contents[table] = (rows, tombstones)
    finally:
        con.close()
    return contents


def in_step(db_path: Path, lake: Path, reports: int, sources: int, cells: int, rejections: int) -> None:
    assert differences(db_path, lake) == {
        "reports": (0, 0, reports),
        "report_sources": (0, 0, sources),
        "report_table_cells": (0, 0, cells),
        "report_pages": (0, 0, 0),
        "ingest_rejections": (0, 0, rejections),
    }


def test_the_lake_reads_as_the_raw_tables_through_revisions_additions_removals_and_reruns(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, lake = tmp_path / "reports", tmp_path / "lake"
    write_reports(folder)

    # (a) a first ingest: one batch of five files
    run_ingest(folder, db_path, lake)
    assert "1 batch(es) added (1): 12 row(s), 0 tombstone(s)" in capsys.readouterr().out
    first = lake_files(lake)
    assert set(first) == batch_files(1)
    assert batch_contents(lake, 1) == {
        "reports": (3, 0),
        "report_sources": (4, 0),
        "report_table_cells": (4, 0),
        "report_pages": (0, 0),
        "ingest_rejections": (1, 0),
    }
    in_step(db_path, lake, reports=3, sources=4, cells=4, rejections=1)

    # (b) b.txt revised, e.txt added, c.html and a.txt (whose report d.txt still holds) removed, d.txt unchanged,
    # bad.txt now loads (as a copy of e.txt)
    (folder / "b.txt").write_text(SEED_SENTENCE.replace("4934", "2222"), encoding="utf-8")
    (folder / "e.txt").write_text(SEED_SENTENCE.replace("4934", "3333"), encoding="utf-8")
    (folder / "bad.txt").write_text(SEED_SENTENCE.replace("4934", "3333"), encoding="utf-8")
    (folder / "c.html").unlink()
    (folder / "a.txt").unlink()
    run_ingest(folder, db_path, lake, "--prune")
    out = capsys.readouterr().out
    assert "1 new, 1 duplicate(s) of a loaded report, 1 unchanged, 1 replaced, 0 rejected" in out
    assert "pruned 2 missing file(s): 1 report(s) leave the warehouse at the build" in out
    assert "2 batch(es) added (2, 3): 6 row(s), 6 tombstone(s)" in out
    second = lake_files(lake)
    assert set(second) == batch_files(1) | batch_files(2) | batch_files(3)
    assert {name: second[name] for name in first} == first
    # the landing: b's new report and e's, their two sources and bad.txt's; b's old report and bad's rejection go
    assert batch_contents(lake, 2) == {
        "reports": (2, 1),
        "report_sources": (3, 0),
        "report_table_cells": (0, 0),
        "report_pages": (0, 0),
        "ingest_rejections": (0, 1),
    }
    # the prune: c's report, its source and its cells go; a.txt's source goes and d.txt becomes its report's path
    assert batch_contents(lake, 3) == {
        "reports": (1, 1),
        "report_sources": (0, 2),
        "report_table_cells": (0, 1),
        "report_pages": (0, 0),
        "ingest_rejections": (0, 0),
    }
    in_step(db_path, lake, reports=3, sources=4, cells=0, rejections=0)

    # (c) nothing changed, read again or not: no file is added or written
    run_ingest(folder, db_path, lake, "--prune")
    run_ingest(folder, db_path, lake, "--force")
    assert capsys.readouterr().out.count("no change, no file written") == 2
    assert lake_files(lake) == second
    in_step(db_path, lake, reports=3, sources=4, cells=0, rejections=0)


def test_a_rejection_lands_in_the_lake_and_a_rerun_keeps_it_without_a_file(tmp_path: Path, db_path: Path) -> None:
    folder, lake = tmp_path / "reports", tmp_path / "lake"
    folder.mkdir()
    (folder / "report.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (folder / "blank.txt").write_text("  \n\n", encoding="utf-8")
    run_ingest(folder, db_path, lake)
    written = lake_files(lake)

    run_ingest(folder, db_path, lake)

    assert lake_files(lake) == written
    con = duckdb.connect()
    try:
        read_lake(con, lake, ["ingest_rejections"])
        rows = con.execute("select source_path, reason, byte_size from lake_ingest_rejections").fetchall()
    finally:
        con.close()
    assert rows == [(str(folder / "blank.txt"), "blank", 4)]
    in_step(db_path, lake, reports=1, sources=1, cells=0, rejections=1)


@pytest.mark.parametrize("row_group_ranges", [256, 0], ids=["reports-by-row-group", "reports-by-scan"])
def test_a_lake_given_to_a_landed_warehouse_gets_everything_in_one_batch(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, row_group_ranges: int
) -> None:
    monkeypatch.setattr(ingest.lake, "ROW_GROUP_RANGES", row_group_ranges)
    folder, lake = tmp_path / "reports", tmp_path / "lake"
    write_reports(folder)
    settings = IngestSettings(show_progress=False)
    ingest_paths([folder], work_database_path(db_path), settings, warn=lambda _: None)

    summary = ingest_paths([folder], work_database_path(db_path), settings, warn=lambda _: None, lake_dir=lake)

    assert summary.lake is not None
    assert (summary.lake.compared, summary.lake.batches, summary.lake.rows) == (True, [1], 12)
    assert set(lake_files(lake)) == batch_files(1)
    in_step(db_path, lake, reports=3, sources=4, cells=4, rejections=1)


def test_a_run_stopped_before_it_wrote_the_lake_is_caught_up_by_the_next(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, lake = tmp_path / "reports", tmp_path / "lake"
    write_reports(folder)
    run_ingest(folder, db_path, lake)
    (folder / "b.txt").write_text(SEED_SENTENCE.replace("4934", "2222"), encoding="utf-8")

    def stop(self: Lake) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(Lake, "_write_changes", stop)
        with pytest.raises(KeyboardInterrupt):
            run_ingest(folder, db_path, lake)
    assert differences(db_path, lake)["reports"] == (1, 1, 3)  # DuckDB has b's new report, the lake its old one

    settings = IngestSettings(show_progress=False)
    summary = ingest_paths([folder], work_database_path(db_path), settings, warn=lambda _: None, lake_dir=lake)

    assert summary.lake is not None
    assert (summary.lake.compared, summary.lake.batches, summary.lake.rows, summary.lake.tombstones) == (
        True,
        [2],
        2,
        1,
    )
    in_step(db_path, lake, reports=3, sources=4, cells=4, rejections=1)


def test_the_reading_rule_is_one_select_over_the_files_of_a_table() -> None:
    assert current_rows_sql("report_pages", "parquet.`/lake/report_pages`") == (
        "select lake_rows.report_id, lake_rows.page_no, lake_rows.first_line_no, lake_rows.line_count\n"
        "from parquet.`/lake/report_pages` as lake_rows\n"
        "inner join (\n"
        "    select\n"
        "        report_id as lake_key,\n"
        "        max(lake_batch_id) as latest_lake_batch_id\n"
        "    from parquet.`/lake/report_pages`\n"
        "    group by report_id\n"
        ") as latest_batches\n"
        "    on lake_rows.report_id = latest_batches.lake_key\n"
        "    and lake_rows.lake_batch_id = latest_batches.latest_lake_batch_id\n"
        "where not lake_rows.is_tombstone\n"
    )


def test_a_key_reads_as_its_latest_batch_unless_that_batch_wrote_its_tombstone() -> None:
    con = duckdb.connect()
    try:
        con.execute(
            """
            create table lake_files (
                report_id varchar, page_no integer, first_line_no integer, line_count integer,
                lake_batch_id bigint, is_tombstone boolean
            )
            """
        )
        con.execute(
            """
            insert into lake_files values
                ('kept', 1, 1, 10, 1, false), ('kept', 2, 11, 5, 1, false),
                ('shrunk', 1, 1, 10, 1, false), ('shrunk', 2, 11, 5, 1, false), ('shrunk', 1, 1, 15, 2, false),
                ('gone', 1, 1, 10, 1, false), ('gone', null, null, null, 3, true),
                ('back', 1, 1, 10, 1, false), ('back', null, null, null, 2, true), ('back', 1, 1, 12, 4, false)
            """
        )
        rows = con.execute(f"{current_rows_sql('report_pages', 'lake_files')} order by all").fetchall()
    finally:
        con.close()
    assert rows == [("back", 1, 1, 12), ("kept", 1, 1, 10), ("kept", 2, 11, 5), ("shrunk", 1, 1, 15)]


def test_a_lake_inside_a_report_folder_is_a_usage_error(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    write_reports(folder)

    status = main(["ingest", str(folder), "--db", str(db_path), "--lake", str(folder / "lake"), "--no-progress"])

    assert status == 2
    assert f"error: the lake {folder / 'lake'} is inside {folder}, whose files are ingested" in capsys.readouterr().err
    assert not (folder / "lake").exists()
    assert not work_database_path(db_path).exists()


def test_run_takes_the_lake_as_ingest_does() -> None:
    for command in ("ingest", "run"):
        assert _parser().parse_args([command, "reports", "--lake", "lake"]).lake == "lake"
    assert _parser().parse_args(["run", "reports"]).lake is None


def test_the_spark_sources_read_each_lake_table_by_the_key_it_is_written_by() -> None:
    """macros/cross_engine/raw_lake.sql builds Spark's raw views with the key of each source's meta.lake_key."""
    import yaml

    sources = yaml.safe_load((ROOT / "models" / "staging" / "_raw__sources.yml").read_text(encoding="utf-8"))
    (raw,) = sources["sources"]
    assert {table["name"]: table["meta"]["lake_key"] for table in raw["tables"]} == LAKE_KEYS
