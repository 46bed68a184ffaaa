"""The whole pipeline on the sample corpus: `zfxxgk run` builds the staging models and passes the dbt tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, SAMPLE_DIR, SharedWarehouse, query

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


MODEL_YML = sorted((ROOT / "models").rglob("*.yml"))


def project_relations() -> set[str]:
    """'schema.name' of every model (models/<schema>/**.sql or .py) and seed (schema raw) of the dbt project."""
    models = {
        f"{path.relative_to(ROOT / 'models').parts[0]}.{path.stem}"
        for path in (ROOT / "models").rglob("*")
        if path.suffix in {".sql", ".py"}
    }
    seeds = {f"raw.{path.stem}" for path in (ROOT / "seeds").rglob("*.csv")}
    return models | seeds


def test_run_builds_everything_and_passes_its_tests(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, result = sample_warehouse
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ingest: 5 file(s)" in result.stdout
    # every model and seed of the project is built, and every data test passes (none warns, none fails)
    relations = project_relations()
    models = sum(1 for name in relations if not name.startswith("raw."))
    assert f"models: {models} success\n" in result.stdout
    assert f"seeds: {len(relations) - models} success\n" in result.stdout
    assert re.search(r"^tests: \d+ pass$", result.stdout, re.MULTILINE), result.stdout
    assert "unit_tests" not in result.stdout
    built = next(line for line in result.stdout.splitlines() if line.startswith("built: "))
    names = [relation.split(" (")[0] for relation in built.removeprefix("built: ").split(", ")]
    assert sorted(names) == sorted(relations)
    assert f"warehouse {db_path.resolve()}:" in result.stdout
    assert "  reports                            5" in result.stdout
    assert "  report lines                     369" in result.stdout
    assert "  indicator values                  89" in result.stdout
    assert "    of them blank cells             20" in result.stdout
    assert "    of them from prose              31" in result.stdout
    assert "  prose conflicts                    1" in result.stdout
    assert "  quality issues                     1" in result.stdout


def test_models_live_in_their_schemas(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    tables = query(
        db_path,
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_schema in ('raw', 'staging', 'intermediate', 'marts') and table_name not like 'no_%' "
        "and table_name not like 'table_%' order by all",
    )
    assert tables == [
        ("intermediate", "int_prose_conflicts_detected", "BASE TABLE"),
        ("intermediate", "int_prose_figures_extracted", "BASE TABLE"),
        ("intermediate", "int_prose_figures_matched", "BASE TABLE"),
        ("intermediate", "int_prose_lines_grouped", "BASE TABLE"),
        ("intermediate", "int_prose_negations_matched", "BASE TABLE"),
        ("intermediate", "int_prose_paragraphs_assembled", "BASE TABLE"),
        ("intermediate", "int_prose_value_candidates", "BASE TABLE"),
        ("intermediate", "int_prose_values_resolved", "BASE TABLE"),
        ("intermediate", "int_report_headers_parsed", "BASE TABLE"),
        ("intermediate", "int_report_headings_detected", "BASE TABLE"),
        ("intermediate", "int_report_place_ambiguities", "BASE TABLE"),
        ("intermediate", "int_report_place_candidates", "BASE TABLE"),
        ("intermediate", "int_report_places_matched", "BASE TABLE"),
        ("intermediate", "int_report_places_misread", "BASE TABLE"),
        ("intermediate", "int_report_places_named", "BASE TABLE"),
        ("intermediate", "int_report_regions_resolved", "BASE TABLE"),
        ("intermediate", "int_reports_affected", "BASE TABLE"),
        ("intermediate", "int_reports_built", "BASE TABLE"),
        ("intermediate", "int_reports_changed", "BASE TABLE"),
        ("intermediate", "int_reports_described", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_applicant_columns", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_balance", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_bounds", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_carried_over", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_le", "BASE TABLE"),
        ("intermediate", "int_rule_breaks_sum", "BASE TABLE"),
        ("intermediate", "int_rule_inputs_labelled", "BASE TABLE"),
        ("intermediate", "int_table_cells_labelled", "BASE TABLE"),
        ("intermediate", "int_table_elements_classified", "BASE TABLE"),
        ("intermediate", "int_table_extraction_issues", "BASE TABLE"),
        ("intermediate", "int_table_rows_matched", "BASE TABLE"),
        ("intermediate", "int_table_runs_searched", "BASE TABLE"),
        ("intermediate", "int_table_runs_split", "BASE TABLE"),
        ("intermediate", "int_table_stated_totals", "BASE TABLE"),
        ("intermediate", "int_table_tokens_extracted", "BASE TABLE"),
        ("intermediate", "int_table_values_resolved", "BASE TABLE"),
        ("marts", "dim_build", "BASE TABLE"),
        ("marts", "dim_indicators", "BASE TABLE"),
        ("marts", "dim_reports", "BASE TABLE"),
        ("marts", "fct_harmonized_measures", "BASE TABLE"),
        ("marts", "fct_indicator_values", "BASE TABLE"),
        ("marts", "fct_quality_issues", "BASE TABLE"),
        ("marts", "fct_report_sections", "BASE TABLE"),
        ("marts", "mart_issuer_year_panel", "BASE TABLE"),
        ("marts", "mart_region_year_summary", "BASE TABLE"),
        ("marts", "mart_report_indicators", "BASE TABLE"),
        ("raw", "admin_divisions", "BASE TABLE"),
        ("raw", "chinese_numerals", "BASE TABLE"),
        ("raw", "confusable_characters", "BASE TABLE"),
        ("raw", "figure_qualifiers", "BASE TABLE"),
        ("raw", "harmonized_measures", "BASE TABLE"),
        ("raw", "harmonized_rates", "BASE TABLE"),
        ("raw", "indicator_balances", "BASE TABLE"),
        ("raw", "indicator_bounds", "BASE TABLE"),
        ("raw", "indicator_carryovers", "BASE TABLE"),
        ("raw", "indicator_item_changes", "BASE TABLE"),
        ("raw", "indicators", "BASE TABLE"),
        ("raw", "ingest_rejections", "BASE TABLE"),
        ("raw", "issuer_kinds", "BASE TABLE"),
        ("raw", "place_suffixes", "BASE TABLE"),
        ("raw", "prose_figure_cues", "BASE TABLE"),
        ("raw", "prose_negation_cues", "BASE TABLE"),
        ("raw", "quality_rules", "BASE TABLE"),
        ("raw", "quality_severities", "BASE TABLE"),
        ("raw", "reader_document_kinds", "BASE TABLE"),
        ("raw", "report_sources", "BASE TABLE"),
        ("raw", "report_table_cells", "BASE TABLE"),
        ("raw", "reports", "BASE TABLE"),
        ("raw", "run_cell_kinds", "BASE TABLE"),
        ("raw", "section_headings", "BASE TABLE"),
        ("raw", "text_cues", "BASE TABLE"),
        ("raw", "units", "BASE TABLE"),
        ("raw", "web_furniture_patterns", "BASE TABLE"),
        ("raw", "zone_regions", "BASE TABLE"),
        ("staging", "stg_ingest_rejections", "VIEW"),
        ("staging", "stg_report_lines", "BASE TABLE"),
        ("staging", "stg_report_sources", "VIEW"),
        ("staging", "stg_report_table_cells", "VIEW"),
        ("staging", "stg_reports", "VIEW"),
    ]


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
    assert "warn: no_rejected_files: Got 1 result, configured to warn if != 0" in result.stdout.splitlines()
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
    # every unit test of the models' yml files runs and passes
    defined = sum(len(yaml.safe_load(path.read_text(encoding="utf-8")).get("unit_tests", [])) for path in MODEL_YML)
    assert f"unit_tests: {defined} pass" in result.stdout.splitlines(), result.stdout
