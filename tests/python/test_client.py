"""A real client: SQLAlchemy with duckdb-engine, the way Superset, pandas and notebooks connect, on the published file.

Every example query of the documentation (the README's quick start and the "Example SQL" of docs/queries.md) runs
here and must give the result kept in tests/fixtures/readme_queries.json.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy
from conftest import ROOT, zfxxgk

README = ROOT / "README.md"
QUERIES_DOC = ROOT / "docs" / "queries.md"
EXPORT_DOC = ROOT / "docs" / "export.md"
# the sections whose sql blocks are example queries, each run by test_every_readme_query_gives_its_expected_result
QUERY_SECTIONS = [(README, "Quick start for analysts"), (QUERIES_DOC, "Example SQL")]
EXPECTED = ROOT / "tests" / "fixtures" / "readme_queries.json"

MARTS = [
    "dim_indicators",
    "dim_reports",
    "fct_harmonized_measures",
    "fct_indicator_values",
    "fct_quality_issues",
    "fct_report_sections",
    "mart_build_stamp",
    "mart_issuer_year_panel",
    "mart_region_year_summary",
    "mart_report_indicators",
]


def markdown_section(path: Path, heading: str) -> str:
    """The text under the heading `heading` (any level) of a markdown file, up to the next heading of the same or a
    higher level outside code blocks."""
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if re.fullmatch(rf"(#+) {re.escape(heading)}", line)]
    assert len(starts) == 1, f"{path.name} has no single heading {heading!r}"
    level = len(lines[starts[0]]) - len(lines[starts[0]].lstrip("#"))
    section: list[str] = []
    fenced = False
    for line in lines[starts[0] + 1 :]:
        fenced ^= line.startswith("```")
        heading_level = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < heading_level <= level and line[heading_level:].startswith(" "):
            break
        section.append(line)
    return "\n".join(section) + "\n"


def readme_queries() -> dict[str, str]:
    """title (the first comment line) -> statement, for every statement of the sql blocks of the README's quick start
    and of the "Example SQL" section of docs/queries.md."""
    queries: dict[str, str] = {}
    for path, heading in QUERY_SECTIONS:
        section = markdown_section(path, heading)
        blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
        assert blocks, f"no sql block under {heading!r} in {path.name}"
        for block in blocks:
            for statement in filter(None, (part.strip() for part in block.split(";"))):
                title = statement.splitlines()[0].removeprefix("-- ").strip()
                assert title not in queries, f"two example queries are titled {title!r}"
                queries[title] = statement
    return queries


def plain(value: object) -> object:
    """A JSON form that keeps what the value says: decimals and times as text, lists as lists."""
    if isinstance(value, Decimal | datetime.date | datetime.datetime):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


@pytest.fixture(scope="module")
def engine(sample_warehouse: tuple[Path, subprocess.CompletedProcess[str]]) -> sqlalchemy.Engine:
    db_path, run = sample_warehouse
    assert run.returncode == 0, run.stdout + run.stderr
    # the URI a Superset user types; `connect_args={"read_only": True}` does the same
    engine = sqlalchemy.create_engine(f"duckdb:///{db_path}?access_mode=read_only")
    yield engine
    engine.dispose()


@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_the_marts_reflect_with_their_columns_and_comments(engine: sqlalchemy.Engine) -> None:
    inspector = sqlalchemy.inspect(engine)
    assert sorted(inspector.get_table_names(schema="marts")) == MARTS

    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine, schema="marts")

    values = metadata.tables["marts.fct_indicator_values"]
    for column in ("report_id", "indicator_code", "applicant_type", "value", "unit", "is_approximate"):
        assert column in values.columns
    # the descriptions of the dbt YAML reach the client as comments, as a BI tool shows them
    build = metadata.tables["marts.mart_build_stamp"]
    assert build.comment.startswith("One row: the build this warehouse file holds.")
    assert [(c.name, str(c.type), c.comment) for c in build.columns][:8] == [
        ("build_id", "VARCHAR", "dbt's invocation id of the build."),
        ("built_at", "TIMESTAMP", "When the build started (UTC)."),
        ("dbt_version", "VARCHAR", "The dbt-core version that built it."),
        ("report_count", "BIGINT", "Rows of dim_reports in this build."),
        ("indicator_value_count", "BIGINT", "Rows of fct_indicator_values in this build."),
        ("quality_issue_count", "BIGINT", "Rows of fct_quality_issues in this build."),
        ("first_report_year", "INTEGER", "The earliest report_year in dim_reports (null when no report has a year)."),
        ("last_report_year", "INTEGER", "The latest report_year in dim_reports."),
    ]
    # the build's own columns (their full comments: the README query "the descriptions a BI tool shows")
    assert [(c.name, str(c.type)) for c in build.columns][8:] == [
        ("project_fingerprint", "VARCHAR"),
        ("is_full_rebuild", "BOOLEAN"),
        ("new_report_count", "BIGINT"),
        ("revised_report_count", "BIGINT"),
        ("removed_report_count", "BIGINT"),
    ]
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.select(values.c.indicator_code, values.c.value).where(
                values.c.report_id == "b10c9838dd933c48", values.c.indicator_code == "proactive_total"
            )
        ).all()
    assert rows == [("proactive_total", Decimal("3649"))]


def test_every_readme_query_gives_its_expected_result(engine: sqlalchemy.Engine) -> None:
    queries = readme_queries()
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert sorted(queries) == sorted(expected), "every example query has an expected result, and only those"

    with engine.connect() as connection:
        for title, statement in queries.items():
            result = connection.execute(sqlalchemy.text(statement))
            found = {"columns": list(result.keys()), "rows": [plain(list(row)) for row in result]}
            assert found == expected[title], title


def test_the_connection_is_read_only(engine: sqlalchemy.Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("select report_count from marts.mart_build_stamp")).all() == [(5,)]
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            connection.execute(sqlalchemy.text("create table marts.scratch as select 1 as x"))


def doc_section_blocks(path: Path, heading: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", markdown_section(path, heading), re.S)


def test_the_export_examples_of_the_docs_read_what_export_wrote(
    sample_warehouse: tuple[Path, subprocess.CompletedProcess[str]],
    engine: sqlalchemy.Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import duckdb

    db_path, _ = sample_warehouse
    for out, file_format in (("export", "parquet"), ("export-csv", "csv")):
        exported = zfxxgk("export", "--db", str(db_path), "--out", str(tmp_path / out), "--format", file_format)
        assert exported.returncode == 0, exported.stderr
    monkeypatch.chdir(tmp_path)
    [sql] = doc_section_blocks(EXPORT_DOC, "Export to Parquet or CSV", "sql")
    statements = [part.strip() for part in sql.split(";") if part.strip()]

    con = duckdb.connect()
    results = [con.execute(statement).fetchall() for statement in statements]
    with engine.connect() as connection:
        facts = connection.execute(sqlalchemy.text("select count(*) from marts.fct_indicator_values")).scalar()
        years = connection.execute(
            sqlalchemy.text("select report_year, count(*) from marts.mart_report_indicators group by 1 order by 1")
        ).all()
    assert [len(results[0]), sorted(results[1]), len(results[2])] == [facts, [tuple(year) for year in years], 5]
    assert facts == 89

    [python] = doc_section_blocks(EXPORT_DOC, "Export to Parquet or CSV", "python")
    namespace: dict[str, object] = {}
    exec(python, namespace)
    assert (namespace["facts"].height, namespace["wide"].height) == (89, 5)
    assert namespace["dictionary"].columns == ["table", "column", "position", "type", "description"]
