"""`zfxxgk export`: the marts as Parquet or CSV files with a data dictionary, on the quality warehouse."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import ROOT, query

from zfxxgk.cli import main
from zfxxgk.serve import export
from zfxxgk.serve.export import DICTIONARY_CSV, DICTIONARY_MD, PARTITION_MIN_ROWS, ExportError, export_marts

MANIFEST = "export_manifest.json"
NO_MANIFEST = f"no {MANIFEST} of format zfxxgk-export version 1"
MARTS_YAML = ROOT / "models" / "marts" / "_marts__models.yml"
COLUMN_DOCS = ROOT / "models" / "docs"
YEAR_TABLES = {"dim_reports", "mart_issuer_year_panel", "mart_region_year_summary", "mart_report_indicators"}


def column_docs() -> dict[str, str]:
    """The {% docs %} blocks of models/docs, by name, as dbt renders them (stripped)."""
    blocks = {}
    for path in sorted(COLUMN_DOCS.glob("*.md")):
        for name, text in re.findall(r"{% docs (\w+) %}(.*?){% enddocs %}", path.read_text(encoding="utf-8"), re.S):
            blocks[name] = text.strip()
    return blocks


def rendered(description: str, docs: dict[str, str]) -> str:
    """A YAML description with its {{ doc("name") }} calls replaced by their blocks."""
    return re.sub(r"""{{\s*doc\(["'](\w+)["']\)\s*}}""", lambda match: docs[match.group(1)], description)


def marts_tables(db_path: Path) -> set[str]:
    return {
        name
        for (name,) in query(
            db_path,
            "select table_name from duckdb_tables() where schema_name = 'marts' "
            "union all select view_name from duckdb_views() where schema_name = 'marts'",
        )
    }


def snapshot(folder: Path) -> dict[str, bytes | str | None]:
    """Every path under folder: a file's bytes, a folder None, a symlink '-> target' (not followed)."""
    found: dict[str, bytes | str | None] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        else:
            found[name] = None if path.is_dir() else path.read_bytes()
    return found


def refusal(out_dir: Path, reason: str) -> str:
    """The error line of a folder export may not replace."""
    return (
        f"error: {out_dir} is not empty and holds no previous export ({reason}): "
        f"choose an empty or new folder for --out, or remove {out_dir} yourself\n"
    )


def marts_columns(db_path: Path) -> list[tuple[str, str, int, str]]:
    return query(
        db_path,
        "select table_name, column_name, column_index, data_type from duckdb_columns() "
        "where schema_name = 'marts' order by table_name, column_index",
    )


@pytest.fixture(scope="module")
def parquet_export(quality_warehouse: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table with a report_year partitioned (partition_min_rows=1: the fixtures are small)."""
    out_dir = tmp_path_factory.mktemp("export") / "parquet"
    export_marts(quality_warehouse[0], out_dir, "parquet", partition_min_rows=1)
    return out_dir


@pytest.fixture(scope="module")
def csv_export(quality_warehouse: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("export") / "csv"
    export_marts(quality_warehouse[0], out_dir, "csv")
    return out_dir


@pytest.fixture
def warehouse(quality_warehouse: tuple[Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with the warehouse attached read-only as wh."""
    con = duckdb.connect()
    con.execute(f"attach '{quality_warehouse[0]}' as wh (read_only)")
    yield con
    con.close()


def assert_same_rows(con: duckdb.DuckDBPyConnection, table: str, exported_sql: str) -> None:
    """The exported rows equal the table's, duplicates included, in both directions."""
    columns = ", ".join(f'"{name}"' for name, *_ in con.execute(f"select * from wh.marts.{table} limit 0").description)
    table_sql = f"select {columns} from wh.marts.{table}"
    exported = f"select {columns} from ({exported_sql})"
    assert (
        con.execute(f"select count(*) from ({exported})").fetchone()
        == con.execute(f"select count(*) from wh.marts.{table}").fetchone()
    )
    assert con.execute(f"{table_sql} except all {exported}").fetchall() == []
    assert con.execute(f"{exported} except all {table_sql}").fetchall() == []


def test_the_persisted_comments_are_the_yaml_descriptions(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    models = {model["name"]: model for model in yaml.safe_load(MARTS_YAML.read_text(encoding="utf-8"))["models"]}
    docs = column_docs()
    for table in ("fct_indicator_values", "dim_reports"):
        (comment,) = query(
            db_path, f"select comment from duckdb_tables() where schema_name = 'marts' and table_name = '{table}'"
        )[0]
        assert comment == models[table]["description"]
        comments = dict(
            query(
                db_path,
                "select column_name, comment from duckdb_columns() "
                f"where schema_name = 'marts' and table_name = '{table}'",
            )
        )
        # the shared column docs (models/docs) reach DuckDB rendered
        described = {column["name"]: rendered(column["description"], docs) for column in models[table]["columns"]}
        assert set(comments) == set(described)
        assert comments == described


def test_every_mart_column_has_a_comment(quality_warehouse: tuple[Path, str]) -> None:
    """mart_report_indicators' inherited and per-indicator columns too (its post-hook)."""
    db_path, _ = quality_warehouse
    assert query(db_path, "select count(*) from duckdb_columns() where schema_name = 'marts' and comment is null") == [
        (0,)
    ]
    assert query(
        db_path,
        "select column_name, comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'mart_report_indicators' and column_name in ('source_path', 'proactive_total') "
        "order by column_name",
    ) == [
        (
            "proactive_total",
            "主动公开政府信息数 (条) at applicant_type total (indicator proactive_total, see dim_indicators).",
        ),
        ("source_path", "Canonical path of the report's file."),
    ]


def test_parquet_export_holds_every_mart_with_its_rows(
    quality_warehouse: tuple[Path, str], parquet_export: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    db_path, _ = quality_warehouse
    tables = marts_tables(db_path)
    assert tables > YEAR_TABLES
    single = {path.stem for path in parquet_export.glob("*.parquet")}
    partitioned = {path.name for path in parquet_export.iterdir() if path.is_dir()}
    assert partitioned == YEAR_TABLES
    assert single == tables - YEAR_TABLES
    for table in single:
        assert_same_rows(warehouse, table, f"select * from read_parquet('{parquet_export / table}.parquet')")
    for table in partitioned:
        assert_same_rows(
            warehouse,
            table,
            f"select * from read_parquet('{parquet_export / table}/**/*.parquet', hive_partitioning = true, "
            "hive_types = {'report_year': integer})",
        )


def test_partition_folders_are_the_report_years(quality_warehouse: tuple[Path, str], parquet_export: Path) -> None:
    db_path, _ = quality_warehouse
    for table in YEAR_TABLES:
        years = {year for (year,) in query(db_path, f"select distinct report_year from marts.{table}")}
        expected = {f"report_year={'__HIVE_DEFAULT_PARTITION__' if year is None else year}" for year in years}
        folders = {path.name for path in (parquet_export / table).iterdir()}
        assert folders == expected, table
        assert all(
            [path.name for path in (parquet_export / table / folder).iterdir()] == ["data_0.parquet"]
            for folder in folders
        )
    assert sorted(path.name for path in (parquet_export / "dim_reports").iterdir()) == [
        f"report_year={year}" for year in (2012, 2013, 2015, 2016, 2018, 2019, 2020, 2022, 2023, 2024)
    ]
    # every file read on its own (no hive_partitioning) holds the report_year of its folder, and only that
    for table in YEAR_TABLES:
        for path in (parquet_export / table).glob("*/data_0.parquet"):
            folder_year = path.parent.name.removeprefix("report_year=")
            years = query(db_path, f"select distinct report_year::varchar from read_parquet('{path}')")
            assert years == [(None if folder_year == "__HIVE_DEFAULT_PARTITION__" else folder_year,)], path


def test_small_tables_are_one_file_each_by_default(quality_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    """Below PARTITION_MIN_ROWS (a million rows) a table is one file, even with a report_year column."""
    db_path, _ = quality_warehouse
    assert PARTITION_MIN_ROWS == 1_000_000
    summary = export_marts(db_path, tmp_path / "out")
    assert {path.name for path in (tmp_path / "out").iterdir()} == {
        *(f"{table}.parquet" for table in marts_tables(db_path)),
        DICTIONARY_CSV,
        DICTIONARY_MD,
        MANIFEST,
    }
    assert [table.name for table in summary.tables if table.partitioned] == []
    assert summary.rows == sum(
        query(db_path, f"select count(*) from marts.{table}")[0][0] for table in marts_tables(db_path)
    )


def test_csv_export_reads_back_equal(
    quality_warehouse: tuple[Path, str], csv_export: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    db_path, _ = quality_warehouse
    tables = marts_tables(db_path)
    assert {path.name for path in csv_export.iterdir()} == {
        *(f"{table}.csv" for table in tables),
        DICTIONARY_CSV,
        DICTIONARY_MD,
        MANIFEST,
    }
    for table in tables:
        types = {name: data_type for owner, name, _, data_type in marts_columns(db_path) if owner == table}
        columns = "{" + ", ".join(f"'{name}': '{data_type}'" for name, data_type in types.items()) + "}"
        path = csv_export / f"{table}.csv"
        assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(types)
        assert_same_rows(
            warehouse,
            table,
            f"select * from read_csv('{path}', header = true, allow_quoted_nulls = false, columns = {columns})",
        )


def test_a_second_export_to_the_same_folder_gives_the_same_bytes(
    quality_warehouse: tuple[Path, str], csv_export: Path, tmp_path: Path
) -> None:
    db_path, _ = quality_warehouse
    before = {path.name: path.read_bytes() for path in csv_export.iterdir()}
    export_marts(db_path, csv_export, "csv")
    assert {path.name: path.read_bytes() for path in csv_export.iterdir()} == before
    assert [path.name for path in csv_export.parent.iterdir() if path.name.startswith(".")] == []
    # The same for Parquet, partitioned.
    first, second = tmp_path / "first", tmp_path / "second"
    export_marts(db_path, first, partition_min_rows=1)
    export_marts(db_path, second, partition_min_rows=1)
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_the_dictionary_lists_every_column_with_type_and_description(
    quality_warehouse: tuple[Path, str], parquet_export: Path
) -> None:
    db_path, _ = quality_warehouse
    with (parquet_export / DICTIONARY_CSV).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["table", "column", "position", "type", "description"]
    assert [(row["table"], row["column"], int(row["position"]), row["type"]) for row in rows] == marts_columns(db_path)
    assert all(row["description"].strip() for row in rows)
    described = {(row["table"], row["column"]): row["description"] for row in rows}
    assert described["dim_reports", "source_path"] == "Canonical path of the report's file."
    assert described["dim_reports", "report_year"] == (
        'The year the report covers (from the title, else 统计期限 or "2016年...政府信息公开工作" in the text).'
    )
    assert described["fct_indicator_values", "applicant_type"]
    markdown = (parquet_export / DICTIONARY_MD).read_text(encoding="utf-8")
    for table in marts_tables(db_path):
        (count,) = query(db_path, f"select count(*) from marts.{table}")[0]
        assert f"\n## {table}\n" in markdown
        assert f"Rows: {count:,}." in markdown
    assert "`dim_reports/` partitioned by `report_year` (10 files)" in markdown
    # a description shared through a {% docs %} block (models/docs/reports.md), rendered
    assert (
        "| 1 | `report_id` | VARCHAR | The report (stg_reports, dim_reports): the first 16 hex digits of the SHA-256 "
        "of its normalized text. |"
    ) in markdown


def test_a_foreign_folder_is_refused(quality_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    out_dir = tmp_path / "mine"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty and holds no previous export"):
        export_marts(quality_warehouse[0], out_dir, "csv")
    assert [path.name for path in tmp_path.iterdir()] == ["mine"]
    assert [path.name for path in out_dir.iterdir()] == ["notes.txt"]
    # An empty folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    export_marts(quality_warehouse[0], empty, "csv")
    assert (empty / DICTIONARY_CSV).is_file()


def test_a_failed_export_leaves_the_previous_one(
    quality_warehouse: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    export_marts(quality_warehouse[0], out_dir, "csv")
    before = {path.name: path.read_bytes() for path in out_dir.iterdir()}

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export, "_write_dictionary", fail)
    with pytest.raises(ExportError) as error:
        export_marts(quality_warehouse[0], out_dir, "parquet")
    assert str(error.value) == (
        f"could not write the export (disk full): {out_dir} is as it was; fix the cause or choose another --out"
    )
    assert {path.name: path.read_bytes() for path in out_dir.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir()] == ["out"]
    with pytest.raises(ExportError, match=r"^could not write the export \(disk full\): "):
        export_marts(quality_warehouse[0], tmp_path / "new", "parquet")
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_the_command_prints_a_summary(
    quality_warehouse: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, _ = quality_warehouse
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path / "out"), "--format", "csv"]) == 0
    output = capsys.readouterr().out
    tables = len(marts_tables(db_path))
    assert output.startswith(f"export: {tables} tables, ")
    assert f", {tables + 2} files (csv + dictionary), " in output
    assert "  fct_indicator_values " in output


def test_a_missing_warehouse_is_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["export", "--db", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"error: no warehouse at {missing}: run `zfxxgk run PATH... --db {missing}` first\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_foreign_folder_is_exit_code_2(
    quality_warehouse: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["export", "--db", str(quality_warehouse[0]), "--out", str(tmp_path)]) == 2
    assert "holds no previous export" in capsys.readouterr().err


def test_lists_structs_and_rows_without_a_year(tmp_path: Path) -> None:
    """Parquet keeps nested columns, CSV has their JSON text; a null report_year is its own partition."""
    db_path = tmp_path / "tiny.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_tiny as select * from (values "
        "(2021, 'a', [1, 2], {'k': 'x'}), (null, 'b', [], {'k': null}), (2021, 'c', null, null)"
        ") as t(report_year, id, codes, detail)"
    )
    con.execute("comment on table marts.mart_tiny is 'Tiny.'")
    con.close()
    export_marts(db_path, tmp_path / "parquet", partition_min_rows=1)
    assert sorted(path.name for path in (tmp_path / "parquet" / "mart_tiny").iterdir()) == [
        "report_year=2021",
        "report_year=__HIVE_DEFAULT_PARTITION__",
    ]
    assert query(
        db_path,
        f"select id, codes, detail, report_year from read_parquet('{tmp_path}/parquet/mart_tiny/**/*.parquet', "
        "hive_partitioning = true) order by id",
    ) == [("a", [1, 2], {"k": "x"}, 2021), ("b", [], {"k": None}, None), ("c", None, None, 2021)]
    # each file read on its own holds report_year, in its place among the columns
    assert query(
        db_path,
        f"select * from read_parquet('{tmp_path}/parquet/mart_tiny/report_year=2021/data_0.parquet') order by id",
    ) == [(2021, "a", [1, 2], {"k": "x"}), (2021, "c", None, None)]
    assert query(
        db_path,
        f"select * from read_parquet('{tmp_path}/parquet/mart_tiny/report_year=__HIVE_DEFAULT_PARTITION__/*.parquet')",
    ) == [(None, "b", [], {"k": None})]
    export_marts(db_path, tmp_path / "csv", "csv")
    assert (tmp_path / "csv" / "mart_tiny.csv").read_text(encoding="utf-8") == (
        'report_year,id,codes,detail\n2021,a,"[1,2]","{""k"":""x""}"\n2021,c,,\n,b,[],"{""k"":null}"\n'
    )
    with (tmp_path / "csv" / DICTIONARY_CSV).open(encoding="utf-8", newline="") as handle:
        assert [row["type"] for row in csv.DictReader(handle)] == [
            "INTEGER",
            "VARCHAR",
            "INTEGER[]",
            "STRUCT(k VARCHAR)",
        ]


def test_the_manifest_lists_every_file_the_export_wrote(parquet_export: Path) -> None:
    manifest = json.loads((parquet_export / MANIFEST).read_text(encoding="utf-8"))
    written = {
        path.relative_to(parquet_export).as_posix(): path.stat().st_size
        for path in parquet_export.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    assert manifest == {"format": "zfxxgk-export", "version": 1, "files": written}
    assert list(manifest["files"]) == sorted(written)
    assert "dim_reports/report_year=2012/data_0.parquet" in written


def test_a_folder_with_a_data_dictionary_and_files_of_its_own_is_left_untouched(
    quality_warehouse: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: a data_dictionary.csv made such a folder look like an export, and all of it was deleted."""
    out_dir = tmp_path / "p"
    (out_dir / "src").mkdir(parents=True)
    (out_dir / DICTIONARY_CSV).write_text("x\n", encoding="utf-8")
    (out_dir / "thesis.tex").write_text("t\n", encoding="utf-8")
    (out_dir / "src" / "a.py").write_text("c\n", encoding="utf-8")
    assert main(["export", "--db", str(quality_warehouse[0]), "--out", str(out_dir)]) == 2
    assert capsys.readouterr() == ("", refusal(out_dir, NO_MANIFEST))
    assert snapshot(out_dir) == {DICTIONARY_CSV: b"x\n", "src": None, "src/a.py": b"c\n", "thesis.tex": b"t\n"}
    assert [path.name for path in tmp_path.iterdir()] == ["p"]


def _add_file(out_dir: Path) -> None:
    (out_dir / "thesis.tex").write_text("t\n", encoding="utf-8")


def _add_file_in_a_partition(out_dir: Path) -> None:
    (out_dir / "dim_reports" / "report_year=2012" / "notes.txt").write_text("n\n", encoding="utf-8")


def _add_empty_folder(out_dir: Path) -> None:
    (out_dir / "drafts").mkdir()


def _add_symlink_to_a_folder(out_dir: Path) -> None:
    (out_dir.parent / "elsewhere").mkdir()
    (out_dir.parent / "elsewhere" / "keep.txt").write_text("k\n", encoding="utf-8")
    (out_dir / "link").symlink_to(out_dir.parent / "elsewhere")


def _replace_a_file_by_a_symlink(out_dir: Path) -> None:
    (out_dir.parent / "mine.csv").write_text("m\n", encoding="utf-8")
    (out_dir / DICTIONARY_CSV).unlink()
    (out_dir / DICTIONARY_CSV).symlink_to(out_dir.parent / "mine.csv")


def _edit_a_file(out_dir: Path) -> None:
    with (out_dir / DICTIONARY_MD).open("a", encoding="utf-8") as handle:
        handle.write("my notes\n")


def _remove_the_manifest(out_dir: Path) -> None:
    (out_dir / MANIFEST).unlink()


def _bump_the_manifest_version(out_dir: Path) -> None:
    manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    (out_dir / MANIFEST).write_text(json.dumps({**manifest, "version": 2}), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_add_file, f"thesis.tex is not in its {MANIFEST}"),
        (_add_file_in_a_partition, f"dim_reports/report_year=2012/notes.txt is not in its {MANIFEST}"),
        (_add_empty_folder, f"folder drafts is not in its {MANIFEST}"),
        (_add_symlink_to_a_folder, "link is not a regular file"),
        (_replace_a_file_by_a_symlink, f"{DICTIONARY_CSV} is not a regular file"),
        (_edit_a_file, f"{DICTIONARY_MD} is missing or changed since the export"),
        (_remove_the_manifest, NO_MANIFEST),
        (_bump_the_manifest_version, NO_MANIFEST),
    ],
)
def test_an_earlier_export_changed_by_hand_is_left_untouched(
    quality_warehouse: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[Path], None],
    reason: str,
) -> None:
    """Only a folder holding exactly the files of its manifest, as the export wrote them, is replaced."""
    out_dir = tmp_path / "out"
    export_marts(quality_warehouse[0], out_dir, partition_min_rows=1)
    change(out_dir)
    before, siblings = snapshot(tmp_path), sorted(path.name for path in tmp_path.iterdir())
    assert main(["export", "--db", str(quality_warehouse[0]), "--out", str(out_dir), "--format", "csv"]) == 2
    assert capsys.readouterr() == ("", refusal(out_dir, reason))
    assert snapshot(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == siblings


def test_files_added_during_an_export_are_kept(
    quality_warehouse: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is checked again when it is moved away, just before the new export takes its place."""
    out_dir = tmp_path / "out"
    export_marts(quality_warehouse[0], out_dir, "csv")
    write_dictionary = export._write_dictionary

    def write_dictionary_then_add_a_file(*args: object) -> None:
        write_dictionary(*args)
        (out_dir / "late.txt").write_text("l\n", encoding="utf-8")

    before = snapshot(out_dir)
    monkeypatch.setattr(export, "_write_dictionary", write_dictionary_then_add_a_file)
    with pytest.raises(ExportError) as error:
        export_marts(quality_warehouse[0], out_dir, "csv")
    assert str(error.value) == (
        f"{out_dir} changed during the export (late.txt is not in its {MANIFEST}) and is left as it is: "
        f"choose an empty or new folder for --out, or remove {out_dir} yourself"
    )
    assert snapshot(out_dir) == {**before, "late.txt": b"l\n"}
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_a_symlink_given_as_out_is_followed_and_kept(quality_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    link, real = tmp_path / "link", tmp_path / "real"
    link.symlink_to(real)
    export_marts(quality_warehouse[0], link, "csv")
    export_marts(quality_warehouse[0], link, "parquet")
    assert os.readlink(link) == str(real)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link", "real"]
    assert (real / "fct_indicator_values.parquet").is_file()
    assert not (real / "fct_indicator_values.csv").exists()


@pytest.mark.parametrize("under", ["sub", "sub/deeper"])
def test_a_folder_under_a_file_is_exit_code_2(
    quality_warehouse: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], under: str
) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("f\n", encoding="utf-8")
    out_dir = a_file / under
    assert main(["export", "--db", str(quality_warehouse[0]), "--out", str(out_dir)]) == 2
    assert capsys.readouterr() == (
        "",
        f"error: {a_file} is a file, so no folder {out_dir} can be made under it: choose another --out\n",
    )
    assert snapshot(tmp_path) == {"a_file": b"f\n"}


def without_root_privileges() -> list[str]:
    """A command prefix under which file modes bind: root (in a container, say) loses CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root writes into read-only folders, and setpriv is missing to drop that right")
    return [setpriv, "--inh-caps=-dac_override", "--bounding-set=-dac_override"]


def test_a_read_only_folder_is_exit_code_2(quality_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    read_only = tmp_path / "read_only"
    read_only.mkdir()
    read_only.chmod(0o555)
    command = ["export", "--db", str(quality_warehouse[0]), "--out", str(read_only / "out")]
    try:
        result = subprocess.run(
            [*without_root_privileges(), sys.executable, "-m", "zfxxgk.cli", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        read_only.chmod(0o755)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: cannot write in {read_only} (Permission denied): export writes its files in a new folder beside "
        "--out, so choose an --out in a folder you can write to\n"
    )
    assert snapshot(tmp_path) == {"read_only": None}
