"""The whole pipeline on the sample corpus: `zfxxgk run` builds the staging models and passes the dbt tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml
from conftest import ROOT, SAMPLE_DIR, SharedWarehouse, built_node_counts, query

from zfxxgk.publish import work_database_path

LINES_PER_SEED = {
    "000_d4ff795807e30615.txt": 33,
    "001_082f890431297067.txt": 225,
    "002_8415d511d2c02aaa.txt": 25,
    "003_571ed394d0d9efb0.txt": 34,
    "004_81c7aeba41491e94.txt": 52,
}

FURNITURE_LINES = [
    ("000_d4ff795807e30615.txt", 5, "page_metadata", "发布日期:2016-03-28"),
    ("000_d4ff795807e30615.txt", 30, "page_tools", "关闭"),
    ("000_d4ff795807e30615.txt", 31, "page_tools", "关闭"),
    ("000_d4ff795807e30615.txt", 32, "page_tools", "关闭"),
    ("000_d4ff795807e30615.txt", 33, "page_tools", "关闭"),
    ("004_81c7aeba41491e94.txt", 1, "breadcrumb", "当前位置: 首页>政务公开>政府信息公开年报"),
    ("004_81c7aeba41491e94.txt", 2, "page_metadata", "索 引 号: 005691947/2014-00072 主题分类:"),
    ("004_81c7aeba41491e94.txt", 3, "page_metadata", "发文机关: 市政府办公室 发布时间: 2014-03-20"),
    ("004_81c7aeba41491e94.txt", 4, "page_metadata", "标  题: 济源市2013年政府信息公开工作年度报告"),
    ("004_81c7aeba41491e94.txt", 50, "qr_code", "扫一扫"),
    ("004_81c7aeba41491e94.txt", 51, "qr_code", "在手机上打开当前页面"),
    ("004_81c7aeba41491e94.txt", 52, "html_remnant", "-->"),
]


def by_file(db_path: Path, sql: str) -> list[tuple]:
    """Rows of `sql` (which selects report_id first) with the report's file name instead of its id."""
    rows = query(
        db_path,
        f"""
        with result as ({sql})
        select regexp_extract(reports.source_path, '[^/]+$') as file, result.* exclude (report_id)
        from result join staging.stg_reports as reports using (report_id)
        order by all
        """,
    )
    return rows


# The default materialization of each layer (dbt_project.yml); a model may set its own in its config().
LAYER_MATERIALIZATIONS = {"staging": "view", "intermediate": "incremental", "marts": "table", "reports": "table"}
# The intermediate models that look across reports, rebuilt whole on every build; every other one is per report.
INTERMEDIATE_TABLES = [
    "int_admin_division_ancestors",
    "int_reports_affected",
    "int_reports_changed",
    "int_table_runs_searched",
]


def project_models() -> dict[str, tuple[str, str]]:
    """Each model of the project (a .sql or .py file under models/): the schema of its layer and its materialization."""
    models = {}
    for path in sorted((ROOT / "models").rglob("*")):
        if path.suffix not in (".sql", ".py") or "spark" in path.parts:
            continue  # models/**/spark/: the Spark-only files of a model (dbt_project.yml enables them on Spark)
        layer = path.relative_to(ROOT / "models").parts[0]
        declared = re.search(r"materialized\s*=\s*['\"](\w+)['\"]", path.read_text(encoding="utf-8"))
        models[path.stem] = (layer, declared.group(1) if declared else LAYER_MATERIALIZATIONS[layer])
    return models


def project_seeds() -> list[str]:
    return sorted(path.stem for path in (ROOT / "seeds").rglob("*.csv"))


def test_run_builds_everything_and_passes_its_tests(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, result = sample_warehouse
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ingest: 5 file(s)" in result.stdout
    models = project_models()
    assert f"models: {len(models)} success" in result.stdout
    assert f"seeds: {len(project_seeds())} success" in result.stdout
    assert f"tests: {built_node_counts(db_path)['test']} pass" in result.stdout
    assert "unit_tests" not in result.stdout
    # every model is built in the schema of its layer, as it is declared; every seed in raw
    assert _relations_built(db_path) == sorted(
        [f"{schema}.{name} ({materialized})" for name, (schema, materialized) in models.items()]
        + [f"raw.{seed} (seed)" for seed in project_seeds()]
    )
    # the per-report models are incremental (a build rebuilds the reports that changed), the others tables
    intermediate_tables = sorted(
        name for name, (schema, materialized) in models.items() if schema == "intermediate" and materialized == "table"
    )
    assert intermediate_tables == INTERMEDIATE_TABLES
    assert models["stg_report_lines"] == ("staging", "incremental")
    assert f"warehouse {db_path.resolve()}:" in result.stdout
    assert "  reports                            5" in result.stdout
    assert "  report lines                     369" in result.stdout
    assert "  indicator values                  89" in result.stdout
    assert "    of them blank cells             20" in result.stdout
    assert "    of them from prose              31" in result.stdout
    assert "  prose conflicts                    1" in result.stdout
    assert "  quality issues                     1" in result.stdout


def _relations_built(db_path: Path) -> list[str]:
    """The seeds and models of the project, as 'schema.name (materialization)', from dbt's manifest.json in the
    target/ of the warehouse's work folder (a build that passed built every one: its counts say so)."""
    manifest = work_database_path(db_path).parent / "target" / "manifest.json"
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return sorted(
        f"{node['schema']}.{node['alias']} ({node['config']['materialized']})"
        for node in nodes
        if node["resource_type"] in ("model", "seed")
    )


def test_models_live_in_their_schemas(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    tables = query(
        db_path,
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_schema in ('raw', 'staging', 'intermediate', 'marts', 'reports') and table_name not like 'no_%' "
        "and table_name not like 'table_%' order by all",
    )
    # each model in the schema of its layer (a view or a table as declared), the landed tables and seeds in raw
    sources = yaml.safe_load((ROOT / "models" / "staging" / "_raw__sources.yml").read_text(encoding="utf-8"))
    landed = [table["name"] for source in sources["sources"] for table in source["tables"]]
    assert "report_pages" in landed
    expected = [
        (schema, name, "VIEW" if materialized == "view" else "BASE TABLE")
        for name, (schema, materialized) in project_models().items()
    ] + [("raw", name, "BASE TABLE") for name in landed + project_seeds()]
    assert tables == sorted(row for row in expected if not row[1].startswith(("no_", "table_")))
    assert ("intermediate", "int_table_rows_matched", "BASE TABLE") in tables
    assert ("staging", "stg_reports", "VIEW") in tables


def test_every_report_is_split_into_its_lines(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    rows = by_file(db_path, "select report_id, count(*) from staging.stg_report_lines group by report_id")
    assert dict(rows) == LINES_PER_SEED


def test_line_offsets_point_into_the_text(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    rows = by_file(
        db_path,
        "select report_id, line_no, start_offset, end_offset, line from staging.stg_report_lines "
        "where line_no <= 3 and report_id = "
        "(select report_id from staging.stg_reports where source_path like '%004_%')",
    )
    assert rows == [
        ("004_81c7aeba41491e94.txt", 1, 0, 22, "当前位置: 首页>政务公开>政府信息公开年报"),
        ("004_81c7aeba41491e94.txt", 2, 23, 56, "索 引 号: 005691947/2014-00072 主题分类:"),
        ("004_81c7aeba41491e94.txt", 3, 57, 86, "发文机关: 市政府办公室 发布时间: 2014-03-20"),
    ]
    texts = dict(query(db_path, "select report_id, text from staging.stg_reports"))
    for report_id, start, end, line in query(
        db_path, "select report_id, start_offset, end_offset, line from staging.stg_report_lines"
    ):
        assert texts[report_id][start:end] == line


def test_web_page_furniture_is_flagged(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    rows = by_file(
        db_path, "select report_id, line_no, furniture_kind, line from staging.stg_report_lines where is_furniture"
    )
    assert rows == FURNITURE_LINES


def test_report_content_is_not_furniture(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    rows = by_file(
        db_path,
        "select report_id, line_no, is_furniture from staging.stg_report_lines "
        "where regexp_matches(line, '政府信息公开工作(年度)?报告$') and line_no <= 5",
    )
    assert rows == [
        ("000_d4ff795807e30615.txt", 3, False),
        ("004_81c7aeba41491e94.txt", 4, True),
        ("004_81c7aeba41491e94.txt", 5, False),
    ]


def test_rejections_warn_without_failing_the_run(shared_warehouse: SharedWarehouse) -> None:
    """The shared corpus holds an empty file (rejected/empty.txt)."""
    result = shared_warehouse.run

    assert result.returncode == 0, result.stdout + result.stderr
    landed = len(shared_warehouse.files) - 1
    assert f"{landed} new, 0 duplicate(s) of a loaded report, 0 unchanged, 0 replaced, 1 rejected" in result.stdout
    # the rejection warns (the shared corpus's broken-rule fixtures warn too), and no test fails
    assert re.search(r"^tests: \d+ pass, \d+ warn$", result.stdout, re.MULTILINE), result.stdout
    assert "warning: 1 file rejected: empty.txt (empty: 0 bytes; the file has no bytes: download it again)" in (
        result.stdout.splitlines()
    )
    assert [line for line in result.stdout.splitlines() if line.startswith(("fail: ", "error: "))] == []
    assert "    rejected as empty                      1" in result.stdout


def test_build_without_a_project_says_what_to_do(tmp_path: Path, db_path: Path) -> None:
    env = {**os.environ, "ZFXXGK_PROJECT_DIR": str(tmp_path)}
    script = "import sys, zfxxgk.dbt_build as b; b.find_project_dir = lambda: (_ for _ in ()).throw(b.ProjectNotFoundError('x')); from zfxxgk.cli import main; sys.exit(main(['build', '--db', 'x.duckdb']))"  # noqa: E501
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")


def test_make_run_target_uses_the_sample_corpus() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "zfxxgk run data/sample" in makefile
    assert sorted(p.name for p in SAMPLE_DIR.glob("*.txt")) == sorted(LINES_PER_SEED)
    assert shutil.which("make") is not None


def test_the_unit_tests_of_the_models_pass(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    """`zfxxgk build` leaves the unit tests (the models' logic on given rows) to the test suite: here."""
    db_path, _ = sample_warehouse
    script = (
        "import sys; from pathlib import Path; from zfxxgk.dbt_build import run_unit_tests; "
        "outcome = run_unit_tests(Path(sys.argv[1])); print(outcome.describe()); sys.exit(0 if outcome.success else 1)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(work_database_path(db_path))], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    unit_tests = built_node_counts(db_path)["unit_test"]
    assert unit_tests >= 34
    assert f"unit_tests: {unit_tests} pass" in result.stdout


def test_a_broken_column_rule_fails_its_test_naming_the_column_the_rule_and_the_rows(
    sample_warehouse: tuple[Path, subprocess.CompletedProcess], tmp_path: Path
) -> None:
    """column_rules_hold (tests/generic): one test per model checks all its column rules; each rule it finds broken
    is a line of the build's output. Here every kind of rule is broken in a copy of the sample warehouse."""
    db_path, _ = sample_warehouse
    copy = tmp_path / "broken" / "zfxxgk.duckdb"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    con = duckdb.connect(str(copy))
    try:
        # dim_reports: the first of the 5 sample reports twice (unique), the document kind of the 3 reports between
        # the first and the last unset (not_null), the 5 rows of legacy reports (all of them) given a template that
        # does not exist (accepted_values), the first report's year before 2007 (an expression); the last report
        # deleted, so its 6 sections have no report (relationships)
        first, last = "(select min(report_id) from marts.dim_reports)", "(select max(report_id) from marts.dim_reports)"
        con.execute(f"insert into marts.dim_reports select * from marts.dim_reports where report_id = {first}")
        con.execute(f"update marts.dim_reports set document_kind = null where report_id not in ({first}, {last})")
        con.execute(f"delete from marts.dim_reports where report_id = {last}")
        con.execute("update marts.dim_reports set template_version = 'format_2030' where template_version = 'legacy'")
        con.execute(f"update marts.dim_reports set report_year = 2006 where report_id = {first}")  # both rows
        # fct_report_sections: the preamble (section 0) of the 4 reports that have one twice (unique_combination)
        sections = "marts.fct_report_sections"
        con.execute(f"insert into {sections} select * from {sections} where section_no = 0")
    finally:
        con.close()
    script = (
        "import sys; from pathlib import Path; from zfxxgk.dbt_build import run_dbt; "
        "outcome = run_dbt(Path(sys.argv[1]), ['test', '--select', 'column_rules_hold_dim_reports', "
        "'column_rules_hold_fct_report_sections']); print('outcome:'); print(outcome.describe()); "
        "sys.exit(0 if outcome.success else 1)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(copy)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.split("outcome:\n")[1].splitlines() == [
        "tests: 2 fail",
        "fail: column_rules_hold_dim_reports: Got 4 results, configured to fail if != 0",
        "  document_kind breaks not_null in 3 row(s)",
        "  report_id breaks unique: 1 value(s) repeated",
        "  report_year breaks expression report_year is null or report_year between 2007 and year(current_date) "
        "in 2 row(s)",
        "  template_version breaks accepted_values in 5 row(s)",
        "fail: column_rules_hold_fct_report_sections: Got 2 results, configured to fail if != 0",
        "  report_id breaks relationships to dim_reports.report_id in 6 row(s)",
        "  report_id, section_no breaks unique_combination: 4 value(s) repeated",
    ]
