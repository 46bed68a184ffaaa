"""Incremental builds: a warehouse built step by step holds exactly what one built at once from the same files does.

Corpus A, then A + B, must equal A + B built fresh, row for row, in every intermediate table and mart; so must the
warehouse after a file is replaced, a file is copied under a second name and a file is pruned. The corpus holds
reports of one issuer in consecutive years whose runs of digits are settled by each other (format_2019_one_line_*),
a chain of carried-over applications (format_2021_carry_*) and five years of one issuer (ISSUER_YEARS), so the
models that read across an issuer's years are exercised when one of its years arrives, changes or leaves, and a
change reaches exactly the years it can narrow and the year on each side. One chain of builds covers all of it:
each dbt build costs about 20 s of CPU whatever its size.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_DIR, SharedWarehouse, copy_warehouse, query, zfxxgk

from zfxxgk.build_state import CHANGED_REPORTS_SQL, FINGERPRINTED, project_fingerprint

TABLES = ROOT / "tests" / "fixtures" / "tables"
QUALITY = ROOT / "tests" / "fixtures" / "quality"
FIRST = [
    TABLES / "format_2019_one_line_2019.txt",
    QUALITY / "format_2021_carry_2022.txt",
    QUALITY / "format_2021_carry_2023.txt",
]
SECOND = [
    TABLES / "format_2019_one_line_2020.txt",
    QUALITY / "format_2021_carry_2024.txt",
    QUALITY / "format_2019_items_2019.txt",
    QUALITY / "format_2019_items_2020.txt",
]
STATE_TABLES = {
    "int_reports_changed",
    "int_reports_affected",
    "int_reports_built",
    "int_table_runs_searched",
    "mart_build_stamp",
}
"""What a build records about itself (and the splits of the reports it rebuilt) rather than about every report."""


def built_tables(db: Path) -> dict[str, list[tuple]]:
    """Every intermediate table and mart, without timestamps and build stamps, rows sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('intermediate', 'marts') order by all"
        ).fetchall()
        contents = {}
        for schema, table in tables:
            if table in STATE_TABLES:
                continue
            columns = [
                name
                for name, data_type in con.execute(
                    "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ? "
                    "order by column_index",
                    [schema, table],
                ).fetchall()
                if not data_type.startswith("TIMESTAMP")
            ]
            column_list = ", ".join(f'"{name}"' for name in columns)
            contents[f"{schema}.{table}"] = con.execute(
                f'select {column_list} from "{schema}"."{table}" order by all'
            ).fetchall()
        return contents
    finally:
        con.close()


def run(db: Path, *args: str) -> str:
    result = zfxxgk("run", *args, "--db", str(db), "--no-progress")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def assert_same_tables(built: dict[str, list[tuple]], expected: dict[str, list[tuple]]) -> None:
    assert sorted(built) == sorted(expected)
    different = [name for name in expected if built[name] != expected[name]]
    assert different == []


ISSUER_YEARS = "dongcheng_{year}.txt"
"""One issuer, 2015 to 2019 (issuer_years): 2016 and 2017 hold runs of digits their own rules leave ambiguous (each
settles the other's), the other years none."""

AFFECTED_ISSUER_YEARS = """
select described.report_year
from intermediate.int_reports_affected as affected
inner join intermediate.int_reports_described as described on affected.report_id = described.report_id
inner join staging.stg_reports as reports on affected.report_id = reports.report_id
where reports.source_path like '%/dongcheng_%'
order by 1
"""


def issuer_years(folder: Path) -> None:
    """The five reports of one issuer (ISSUER_YEARS): sample texts and the one-line fixtures under its title."""
    sample = sorted(SAMPLE_DIR.glob("*.txt"))
    texts = {
        2015: sample[0],
        2016: TABLES / "format_2019_one_line_2019.txt",
        2017: TABLES / "format_2019_one_line_2020.txt",
        2018: sample[1],
        2019: sample[2],
    }
    for year, path in texts.items():
        title = f"东城区教育局{year}年政府信息公开工作年度报告\n"
        (folder / ISSUER_YEARS.format(year=year)).write_text(title + path.read_text(encoding="utf-8"), encoding="utf-8")


def revise(path: Path) -> None:
    """A report republished with a closing line."""
    path.write_text(path.read_text(encoding="utf-8") + "\n本报告到此结束。\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The sample, FIRST, a republished 2023 report and the issuer's five years: a folder of its own for each test,
    which may change it."""
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLE_DIR, folder)
    for path in FIRST:
        shutil.copy(path, folder / path.name)
    # a second 2023 report of the carried-over issuer (republished with a closing line): a year of two reports, which
    # the splitter does not pair and the rules still read as the year before an arriving 2024 report
    republished = QUALITY / "format_2021_carry_2023.txt"
    (folder / "format_2021_carry_2023_republished.txt").write_text(
        republished.read_text(encoding="utf-8") + "\n（本报告为更正后重新发布。）\n", encoding="utf-8"
    )
    issuer_years(folder)
    return folder


@pytest.mark.builds(6)
def test_adding_replacing_copying_and_pruning_files_gives_the_marts_of_a_build_at_once(
    corpus: Path, tmp_path: Path
) -> None:
    # A: the issuer's years 2016 and 2017 settle each other's runs, the others hold none
    stepwise = tmp_path / "stepwise" / "zfxxgk.duckdb"
    work = stepwise.parent / "zfxxgk-work" / "zfxxgk.duckdb"
    first = run(stepwise, str(corpus))
    assert "build: every report (first build)" in first
    assert query(
        work,
        "select described.report_year, built.has_cross_year_runs from intermediate.int_reports_built as built "
        "inner join intermediate.int_reports_described as described using (report_id) "
        "inner join staging.stg_reports as reports using (report_id) "
        "where reports.source_path like '%/dongcheng_%' order by 1",
    ) == [(2015, False), (2016, True), (2017, True), (2018, False), (2019, False)]

    # A + B, and the issuer's 2019 revised: equal to the files built at once, in batches of at most 10 reports (as a
    # big corpus is built): 18 reports in 2 dbt builds (the cli treats the first batch apart, every later one alike,
    # so two batches cover both). A change in 2019 rebuilds 2018 (the splitter's input) and 2019 in the models that
    # read across years.
    for path in SECOND:
        shutil.copy(path, corpus / path.name)
    revise(corpus / ISSUER_YEARS.format(year=2019))
    second = run(stepwise, str(corpus))
    assert "build: 5 new or revised report(s), 1 removed" in second
    assert query(
        stepwise, "select new_report_count, revised_report_count, removed_report_count from marts.mart_build_stamp"
    ) == [(5, 0, 1)]
    assert query(work, AFFECTED_ISSUER_YEARS) == [(2018,), (2019,)]
    at_once = tmp_path / "at_once" / "zfxxgk.duckdb"
    batched = run(at_once, str(corpus), "--batch-reports", "10")
    assert "build: batch 1 of 2 (at most 10 new or revised reports)" in batched
    assert "build: batch 2 of 2 (at most 10 new or revised reports)" in batched
    assert_same_tables(built_tables(stepwise), built_tables(at_once))

    # then: replace one year of the carried-over chain, copy a sample report under a second name, drop the 2019
    # report whose runs settle the 2020 report's, revise the issuer's 2015 (which reaches 2016 and 2017 through
    # their runs, and 2018 beside them); equal to a fresh build of the files left
    revise(corpus / "format_2021_carry_2023.txt")
    revise(corpus / ISSUER_YEARS.format(year=2015))
    first_sample = sorted(SAMPLE_DIR.glob("*.txt"))[0]
    shutil.copy(first_sample, corpus / ("copy_of_" + first_sample.name))
    (corpus / "format_2019_one_line_2019.txt").unlink()
    third = run(stepwise, str(corpus), "--prune")
    assert "pruned 1 missing file(s): 1 report(s) leave the warehouse at the build" in third
    assert query(
        stepwise, "select new_report_count, revised_report_count, removed_report_count from marts.mart_build_stamp"
    ) == [(2, 1, 3)]
    assert query(work, AFFECTED_ISSUER_YEARS) == [(2015,), (2016,), (2017,), (2018,)]
    fresh = tmp_path / "fresh" / "zfxxgk.duckdb"
    run(fresh, str(corpus))
    assert_same_tables(built_tables(stepwise), built_tables(fresh))

    nothing_new = run(stepwise, str(corpus))
    assert "build: nothing changed since the last build: the models were not run" in nothing_new


def test_a_missing_file_is_kept_and_counted_without_prune(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLE_DIR, folder)
    db = tmp_path / "kept" / "zfxxgk.duckdb"
    work = db.parent / "zfxxgk-work" / "zfxxgk.duckdb"
    assert zfxxgk("ingest", str(folder), "--db", str(db)).returncode == 0
    sorted(folder.glob("*.txt"))[0].unlink()
    result = zfxxgk("ingest", str(folder), "--db", str(db))
    assert "note: 1 file(s) landed from under the given folders are gone (1 report(s) hold no other file)" in (
        result.stdout
    )
    assert query(work, "select count(*) from raw.reports") == [(5,)]


def test_the_cli_counts_the_changed_reports_as_the_models_do(
    sample_session_warehouse: SharedWarehouse, tmp_path: Path
) -> None:
    # a copy of the sample warehouse, then a new report and a second file of a
    # sample report in a folder of their own, landed beside the sample's folder
    db = tmp_path / "w" / "zfxxgk.duckdb"
    work = copy_warehouse(sample_session_warehouse, db)
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(TABLES / "format_2019_one_line_2020.txt", folder / "a.txt")
    shutil.copy(sorted(SAMPLE_DIR.glob("*.txt"))[1], folder / "b.txt")
    assert zfxxgk("ingest", str(sample_session_warehouse.corpus), str(folder), "--db", str(db)).returncode == 0
    # the models' int_reports_changed, built now by hand over the same rows, against zfxxgk.build_state's count
    assert query(work, CHANGED_REPORTS_SQL) == [(2, 0)]
    script = (
        "import sys; from pathlib import Path; from zfxxgk.dbt_build import run_dbt; "
        "sys.exit(0 if run_dbt(Path(sys.argv[1]), ['run', '--select', 'int_reports_changed']).success else 1)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(work)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(work, "select change, count(*) from intermediate.int_reports_changed group by all order by all") == [
        ("new", 1),
        ("revised", 1),
    ]


def test_the_project_fingerprint_covers_the_digit_run_search_and_not_the_cli(tmp_path: Path) -> None:
    # every fingerprinted path exists: a moved file would otherwise drop out of the hash without a word
    assert [name for name in FINGERPRINTED if not (ROOT / name).exists()] == []
    for name in ("dbt_project.yml", "models/m.sql", "zfxxgk/digit_runs.py", "zfxxgk/run_search.py", "zfxxgk/cli.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    before = project_fingerprint(tmp_path)
    (tmp_path / "zfxxgk" / "cli.py").write_text("changed", encoding="utf-8")
    assert project_fingerprint(tmp_path) == before
    (tmp_path / "zfxxgk" / "digit_runs.py").write_text("changed", encoding="utf-8")
    assert project_fingerprint(tmp_path) != before
    before = project_fingerprint(tmp_path)
    (tmp_path / "zfxxgk" / "run_search.py").write_text("changed", encoding="utf-8")
    assert project_fingerprint(tmp_path) != before
