"""Statistical tables into indicator values: every layout fixture, seed 001 and the arithmetic rules of the spec."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DIR, SharedWarehouse, query, rows_by_file

TABLE_FIXTURES = ROOT / "tests" / "fixtures" / "tables"
ACCEPTANCE = ROOT / "tests" / "acceptance"
SPEC = ROOT.parent / "shared" / "spec"
FIXTURE_NAMES = sorted(path.stem for path in TABLE_FIXTURES.glob("*.txt"))
SEED_001 = "001_082f890431297067.txt"

# What the table extractor gives (fct_indicator_values adds the prose figures: see test_prose.py).
VALUES_BY_FILE = """
select regexp_extract(reports.source_path, '[^/]+$') as file, values.*
from intermediate.int_table_values_resolved as values
join staging.stg_reports as reports using (report_id)
"""
PANEL_BY_FILE = VALUES_BY_FILE.replace("intermediate.int_table_values_resolved", "marts.fct_indicator_values")


@pytest.fixture(scope="module")
def table_warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds the five sample reports and every table fixture."""
    return shared_warehouse.db_path


def values_of(db_path: Path, file: str) -> dict[tuple[str, str], Decimal | None]:
    rows = query(db_path, f"select indicator_code, applicant_type, value from ({VALUES_BY_FILE}) where file = '{file}'")
    return {(code, applicant_type): value for code, applicant_type, value in rows}


def expected_of(path: Path) -> dict[tuple[str, str], Decimal | None]:
    with path.open(encoding="utf-8") as handle:
        return {
            (row["indicator_code"], row["applicant_type"]): Decimal(row["value"]) if row["value"] else None
            for row in csv.DictReader(handle)
        }


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_tables_give_exactly_the_expected_values(table_warehouse: Path, name: str) -> None:
    expected = expected_of(TABLE_FIXTURES / f"{name}.expected.csv")
    assert values_of(table_warehouse, f"{name}.txt") == expected


def test_seed_001_gives_its_45_table_values_and_nothing_else_but_blanks(table_warehouse: Path) -> None:
    with (ACCEPTANCE / "seed_expected.csv").open(encoding="utf-8") as handle:
        expected = {
            (row["indicator_code"], row["applicant_type"]): Decimal(row["value"]) if row["value"] else None
            for row in csv.DictReader(handle)
            if row["file"] == SEED_001 and row["source_kind"] == "table"
        }
    assert len(expected) == 45
    found = values_of(table_warehouse, SEED_001)
    assert {key: found.get(key, "missing") for key in expected} == expected
    assert {key: value for key, value in found.items() if key not in expected and value is not None} == {}


def test_a_value_keeps_its_cell_line_offsets_and_evidence(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select v.value, v.line_no, v.row_label, v.column_label, v.source_kind, v.extraction_method, v.evidence,
            substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset)
        from ({VALUES_BY_FILE}) as v join staging.stg_reports as r using (report_id)
        where v.file = '{SEED_001}' and v.indicator_code = 'proactive_via_wechat'
        """,
    )
    assert rows == [
        (
            Decimal("10"),
            62,
            "4.政务微信公开政府信息数",
            "统计数",
            "table",
            "cell",
            "4.政务微信公开政府信息数 | 条 | 10",
            "10",
        )
    ]


def test_blank_slash_dash_and_note_cells_keep_their_meaning(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select indicator_code, value, cell_meaning, note, raw_cell_text from ({VALUES_BY_FILE})
        where file = 'legacy_2015_spaces.txt'
            and indicator_code in ('proactive_via_gazette', 'proactive_via_wechat', 'proactive_via_other',
                'normative_docs_issued_total')
        order by indicator_code
        """,
    )
    assert rows == [
        ("normative_docs_issued_total", Decimal("22"), "reported", "其中修订16件", "22(其中修订16件)"),
        ("proactive_via_gazette", None, "not_applicable", None, "/"),
        ("proactive_via_other", None, "blank", None, ""),
        ("proactive_via_wechat", None, "not_applicable", None, "—"),
    ]


def test_runs_of_digits_are_split_by_the_rules_and_the_stated_totals(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select indicator_code, applicant_type, value, extraction_method, raw_cell_text from ({VALUES_BY_FILE})
        where file = 'format_2021_one_line.txt'
            and (indicator_code like 'normative_docs_%' or (indicator_code = 'applications_received'
                and applicant_type in ('natural_person', 'total')))
        order by indicator_code, applicant_type
        """,
    )
    assert rows == [
        ("applications_received", "natural_person", Decimal("51"), "split_unique_split", "513001055"),
        ("applications_received", "total", Decimal("55"), "split_unique_split", "513001055"),
        ("normative_docs_in_force", "total", Decimal("136"), "split_unique_split", "124136"),
        ("normative_docs_issued", "total", Decimal("12"), "split_unique_split", "124136"),
        ("normative_docs_repealed", "total", Decimal("4"), "split_unique_split", "124136"),
    ]


def test_an_ambiguous_run_gives_no_value_and_is_recorded(table_warehouse: Path) -> None:
    issues = query(
        table_warehouse,
        """
        select issues.issue_kind, issues.row_key, issues.detail
        from intermediate.int_table_extraction_issues as issues
        join staging.stg_reports as reports using (report_id)
        where reports.source_path like '%/format_2021_ambiguous.txt'
        """,
    )
    assert issues == [
        (
            "run_ambiguous",
            "applications_received",
            "2 splits keep every rule: 1,10,0,0,0,0,11; 11,0,0,0,0,0,11",
        )
    ]
    found = values_of(table_warehouse, "format_2021_ambiguous.txt")
    assert [key for key in found if key[0] == "applications_received"] == []


def test_2021_other_outcome_is_the_sum_of_its_three_rows(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select applicant_type, value, extraction_method from ({VALUES_BY_FILE})
        where file = 'format_2021_pdf_style.txt' and indicator_code = 'outcome_other'
            and applicant_type in ('natural_person', 'total')
        order by applicant_type
        """,
    )
    found = values_of(table_warehouse, "format_2021_pdf_style.txt")
    parts = ["outcome_other_no_correction", "outcome_other_unpaid_fee", "outcome_other_misc"]
    assert rows == [
        ("natural_person", sum(found[(code, "natural_person")] for code in parts), "derived_sum"),
        ("total", sum(found[(code, "total")] for code in parts), "derived_sum"),
    ]


def test_a_run_with_one_digit_per_cell_is_taken_even_when_its_row_breaks_a_rule(
    shared_warehouse: SharedWarehouse,
) -> None:
    """shared_corpus.ONE_DIGIT_PER_CELL: a 2021 review table run together with its heading, one digit per cell."""
    db_path, file = shared_warehouse.db_path, "one_digit_per_cell_2021.txt"
    upheld = f"select value from ({PANEL_BY_FILE}) where file = '{file}' and indicator_code = 'reconsideration_upheld'"
    assert query(db_path, upheld) == [(Decimal("1"),)]
    issues = rows_by_file(db_path, "select report_id, issue_kind from intermediate.int_table_extraction_issues")
    assert [issue for issue in issues if issue[0] == file] == []
    assert [
        row[1:]
        for row in rows_by_file(
            db_path,
            "select report_id, rule, indicator_codes, expected_value, actual_value, issue_sentence "
            "from marts.fct_quality_issues",
        )
        if row[0] == file
    ] == [
        (
            "parts_differ_from_total",
            "reconsideration_total,reconsideration_corrected,reconsideration_other,reconsideration_pending,"
            "reconsideration_upheld",
            Decimal(1),
            Decimal(0),
            "The parts of reconsideration_total (行政复议数量 / 行政复议 总计) [total] sum to 1, but the total is 0 "
            "(table, line 1): reconsideration_corrected 0 + reconsideration_other 0 + reconsideration_pending 0 + "
            "reconsideration_upheld 1.",
        )
    ]


def spec_rule_breaks(db_path: Path, relation: str, tmp_path: Path, files: list[str] | None = None) -> list[str]:
    """The broken rules ../shared/spec/check_values.py finds in the values of `relation` (file, code, type, value)."""
    checker = SPEC / "check_values.py"
    if not checker.is_file():
        pytest.skip("../shared/spec is not beside this checkout")
    export = tmp_path / "values.csv"
    only = "" if files is None else "where file in ({})".format(", ".join(f"'{file}'" for file in files))
    rows = query(db_path, f"select file, indicator_code, applicant_type, value from ({relation}) {only}")
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "indicator_code", "applicant_type", "value"])
        writer.writerows((file, code, kind, "" if value is None else value) for file, code, kind, value in rows)
    result = subprocess.run(
        [sys.executable, str(checker), str(export), str(ROOT / "seeds" / "contract" / "indicators.csv")],
        capture_output=True,
        text=True,
    )
    return result.stdout.splitlines()[:-1]


@pytest.mark.parametrize("relation", [VALUES_BY_FILE, PANEL_BY_FILE], ids=["tables", "tables_and_prose"])
def test_values_obey_the_spec_rules_except_where_the_source_breaks_them(
    table_warehouse: Path, tmp_path: Path, relation: str
) -> None:
    # the reports of the table fixtures and the sample (the shared warehouse holds others, which break rules on purpose)
    files = [path.name for path in [*TABLE_FIXTURES.glob("*.txt"), *SAMPLE_DIR.glob("*.txt")]]
    assert spec_rule_breaks(table_warehouse, relation, tmp_path, files) == [
        "format_2019_broken.txt [total]: sum of reconsideration_total parts = 3 != 2",
        "pdf_text_hongze_district_2023.txt [total]: sum of reconsideration_total parts = 11 != 0",
        "pdf_text_hongze_district_2023.txt [total]: sum of litigation_after_review_total parts = 5 != 0",
    ]


def test_the_indicator_seed_is_the_spec_contract() -> None:
    """The seed is the contract byte for byte, then the codes this project adds (codes may be added, never renamed):
    policy_graphic_interpretations (制作图解12个, issue 17), which the contract has no code for, and the cumulative
    codes of local legacy tables (累计 beside 本年度): one per legacy table code that counts events, in its unit."""
    spec = SPEC / "indicators.csv"
    if not spec.is_file():
        pytest.skip("../shared/spec is not beside this checkout")
    contract = spec.read_text(encoding="utf-8")
    seed = (ROOT / "seeds" / "contract" / "indicators.csv").read_text(encoding="utf-8")
    assert seed.startswith(contract)
    added = list(csv.DictReader(io.StringIO(contract.splitlines()[0] + "\n" + seed[len(contract) :])))
    assert added[0]["code"] == "policy_graphic_interpretations"
    cumulative = added[1:]
    assert len(cumulative) == 53
    contract_rows = {row["code"]: row for row in csv.DictReader(io.StringIO(contract))}
    stocks = {"disclosure_units", "reading_points", "staff_total", "staff_full_time", "staff_part_time"}
    legacy_table_codes = [
        code for code, row in contract_rows.items() if "legacy" in row["formats"].split("|") and code not in stocks
    ]
    assert [row["code"] for row in cumulative] == [f"{code}_cumulative" for code in legacy_table_codes]
    for row in cumulative:
        base = contract_rows[row["code"].removesuffix("_cumulative")]
        assert (row["family"], row["unit"], row["formats"]) == (base["family"], base["unit"], "legacy_cumulative")
        assert row["label_zh"] == base["label_zh"] + "（累计）"
        assert (row["parent_code"], row["rule"]) == ("", "")


def test_every_contract_code_that_a_table_prints_has_a_layout_cell() -> None:
    with (ROOT / "seeds" / "contract" / "indicators.csv").open(encoding="utf-8") as handle:
        table_codes = {
            row["code"]
            for row in csv.DictReader(handle)
            if row["formats"].replace("prose", "").strip("|") and row["formats"] != "legacy_cumulative"
        }
    with (ROOT / "seeds" / "parsing" / "table_layouts.csv").open(encoding="utf-8") as handle:
        layout_codes = {row["indicator_code"] for row in csv.DictReader(handle)}
    assert table_codes - layout_codes == set()


@pytest.fixture(scope="module")
def reader_cells_warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds two reports whose tables a reader handed over as cells (READER_CELLS of
    shared_corpus.py, written to raw.report_table_cells between ingest and build)."""
    return shared_warehouse.db_path


def of_file(file: str) -> str:
    return f"report_id = (select report_id from staging.stg_reports where source_path like '%/{file}')"


def test_cells_a_reader_hands_over_give_values_like_text_tables(reader_cells_warehouse: Path) -> None:
    """HTML and PDF readers land tables as cells (spans expanded) in raw.report_table_cells."""
    db_path = reader_cells_warehouse
    found = query(
        db_path,
        f"""
        select indicator_code, applicant_type, value, cell_meaning, line_no from marts.fct_indicator_values
        where applicant_type in ('natural_person', 'total') and indicator_code not like 'litigation%'
        and {of_file("cells_2021.txt")}
        order by indicator_code, applicant_type
        """,
    )
    assert found == [
        ("applications_carried_over_in", "natural_person", Decimal("0"), "reported", None),
        ("applications_carried_over_in", "total", None, "blank", None),
        ("applications_received", "natural_person", Decimal("51"), "reported", None),
        ("applications_received", "total", Decimal("55"), "reported", None),
        ("outcome_disclosed", "natural_person", Decimal("40"), "reported", None),
        ("outcome_disclosed", "total", Decimal("44"), "reported", None),
        ("outcome_withheld_state_secret", "natural_person", None, "not_applicable", None),
        ("outcome_withheld_state_secret", "total", Decimal("0"), "reported", None),
        ("reconsideration_corrected", "total", Decimal("0"), "reported", None),
        ("reconsideration_other", "total", Decimal("0"), "reported", None),
        ("reconsideration_pending", "total", Decimal("0"), "reported", None),
        ("reconsideration_total", "total", Decimal("1"), "reported", None),
        ("reconsideration_upheld", "total", Decimal("1"), "reported", None),
    ]


def test_reader_cells_that_differ_from_the_text_lines_win_and_are_recorded(reader_cells_warehouse: Path) -> None:
    db_path = reader_cells_warehouse
    values = query(
        db_path,
        f"select indicator_code, value from marts.fct_indicator_values where {of_file('cells_2015.txt')} order by all",
    )
    assert values == [
        ("applications_received", Decimal(5)),
        ("proactive_total", Decimal(120)),
        ("reconsideration_total", Decimal(0)),
    ]
    issues = query(
        db_path,
        "select rule, severity, indicator_codes, expected_value, actual_value, issue_sentence "
        f"from marts.fct_quality_issues where {of_file('cells_2015.txt')}",
    )
    assert issues == [
        (
            "reader_cells_differ_from_text",
            "warn",
            "applications_received[total]",
            Decimal(5),
            Decimal(3),
            "The table cells of applications_received[total] differ from the same table in the text lines "
            "(the text lines say 3, the reader's cells 5); the cells are kept.",
        )
    ]


@pytest.fixture(scope="module")
def edge_warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds the EDGE_REPORTS (shared_corpus.py), one report each."""
    return shared_warehouse.db_path


def test_a_fee_printed_in_yuan_is_converted_to_wan_yuan(edge_warehouse: Path) -> None:
    rows = query(
        edge_warehouse,
        f"""
        select value, unit, note, raw_cell_text from ({VALUES_BY_FILE})
        where file = 'yuan.txt' and indicator_code = 'application_fees_collected'
        """,
    )
    assert rows == [(Decimal("0.05"), "万元", "converted from 元", "500")]


def test_a_cell_printed_twice_with_two_values_gives_none(edge_warehouse: Path) -> None:
    assert values_of(edge_warehouse, "twice.txt") == {
        ("proactive_total", "total"): Decimal("80"),
        ("reconsideration_total", "total"): Decimal("0"),
    }
    issues = query(
        edge_warehouse,
        """
        select issue_kind, indicator_codes, detail from intermediate.int_table_extraction_issues
        join staging.stg_reports using (report_id) where source_path like '%/twice.txt'
        """,
    )
    assert issues == [
        ("conflicting_table_cells", "applications_received[total]", "printed 2 times with different values: 2, 5")
    ]


def test_prose_naming_table_rows_gives_no_table_value_only_prose_figures(edge_warehouse: Path) -> None:
    assert values_of(edge_warehouse, "prose.txt") == {}
    rows = query(
        edge_warehouse,
        f"select indicator_code, value, source_kind from ({PANEL_BY_FILE}) where file = 'prose.txt' order by all",
    )
    assert rows == [("applications_received", Decimal(12), "prose"), ("proactive_total", Decimal(300), "prose")]


def test_every_cell_offset_points_at_its_raw_text(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        """
        select count(*), count(case when substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset)
            = v.raw_cell_text then 1 end)
        from marts.fct_indicator_values as v join staging.stg_reports as r using (report_id)
        where v.extraction_method = 'cell' and v.raw_cell_text <> ''
            -- a reader's cells (reader_cells_warehouse) are no characters of the text
            and v.report_id not in (select report_id from staging.stg_report_table_cells)
        """,
    )
    [(cells, matching)] = rows
    assert cells > 900
    assert matching == cells


def test_amounts_keep_every_printed_digit_and_counts_are_whole_numbers(table_warehouse: Path) -> None:
    """行政事业性收费 12.567891 (万元) keeps its six decimals; the wide mart shows counts as integers."""
    file_filter = "regexp_extract(source_path, '[^/]+$') = 'format_2021_markdown.txt'"
    assert query(
        table_warehouse,
        f"select value, unit from marts.fct_indicator_values join marts.dim_reports using (report_id) "
        f"where {file_filter} and indicator_code = 'fee_amount'",
    ) == [(Decimal("12.567891"), "万元")]
    assert query(
        table_warehouse,
        f"select fee_amount, typeof(fee_amount), typeof(licensing_decisions) from marts.mart_report_indicators "
        f"where {file_filter}",
    ) == [(Decimal("12.567891"), "DECIMAL(38,10)", "BIGINT")]
    assert query(
        table_warehouse,
        "select typeof(applications_received), typeof(reconsideration_total) from marts.mart_issuer_year_panel limit 1",
    ) == [("BIGINT", "BIGINT")]


ONE_LINE_2019 = ("format_2019_one_line_2019.txt", "format_2019_one_line_2020.txt", "format_2019_one_line_spaces.txt")


def test_2019_runs_keep_their_signs_decimals_and_stray_spaces(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select file, indicator_code, value, extraction_method, raw_cell_text from ({VALUES_BY_FILE})
        where file in {ONE_LINE_2019} and applicant_type = 'total'
            and raw_cell_text in ('3-296', '64 01305', '287-4105', '11 49', '11 0000011', '18-3')
        order by file, indicator_code
        """,
    )
    assert rows == [
        ("format_2019_one_line_2019.txt", "coercion_decisions", Decimal("96"), "split_unique_split", "3-296"),
        ("format_2019_one_line_2019.txt", "coercion_items_change", Decimal("-2"), "split_unique_split", "3-296"),
        ("format_2019_one_line_2019.txt", "coercion_items_last_year", Decimal("3"), "split_unique_split", "3-296"),
        (
            "format_2019_one_line_2019.txt",
            "other_services_decisions",
            Decimal("1305"),
            "split_unique_split",
            "64 01305",
        ),
        (
            "format_2019_one_line_2019.txt",
            "other_services_items_change",
            Decimal("0"),
            "split_unique_split",
            "64 01305",
        ),
        (
            "format_2019_one_line_2019.txt",
            "other_services_items_last_year",
            Decimal("64"),
            "split_unique_split",
            "64 01305",
        ),
        ("format_2019_one_line_2020.txt", "licensing_decisions", Decimal("105"), "split_unique_split", "287-4105"),
        ("format_2019_one_line_2020.txt", "licensing_items_change", Decimal("-4"), "split_unique_split", "287-4105"),
        (
            "format_2019_one_line_2020.txt",
            "licensing_items_last_year",
            Decimal("287"),
            "split_unique_split",
            "287-4105",
        ),
        # 1,1,49 or 11,4,9: the prose states 全年新制作规范性文件1件
        ("format_2019_one_line_2020.txt", "normative_docs_new_made", Decimal("1"), "split_unique_split", "11 49"),
        ("format_2019_one_line_2020.txt", "normative_docs_new_published", Decimal("1"), "split_unique_split", "11 49"),
        (
            "format_2019_one_line_2020.txt",
            "normative_docs_published_total",
            Decimal("49"),
            "split_unique_split",
            "11 49",
        ),
        ("format_2019_one_line_spaces.txt", "applications_received", Decimal("11"), "split_unique_split", "11 0000011"),
    ]
    fees = f"select indicator_code, value, extraction_method from ({VALUES_BY_FILE}) where file = '{ONE_LINE_2019[1]}'"
    assert query(table_warehouse, fees + " and indicator_code like 'fee_items_%' order by 1") == [
        ("fee_items_change", Decimal("-3"), "cell"),
        ("fee_items_last_year", Decimal("18"), "cell"),
    ]


def test_runs_only_the_other_year_settles_are_split_by_the_issuers_reports_of_both(table_warehouse: Path) -> None:
    rows = query(
        table_warehouse,
        f"""
        select file, indicator_code, value, raw_cell_text from ({VALUES_BY_FILE})
        where extraction_method = 'split_unique_across_years'
        order by file, indicator_code
        """,
    )
    assert rows == [
        ("format_2019_one_line_2019.txt", "fee_items_change", Decimal("0"), "180"),
        ("format_2019_one_line_2019.txt", "fee_items_last_year", Decimal("18"), "180"),
        ("format_2019_one_line_2019.txt", "licensing_decisions", Decimal("113"), "2870113"),
        ("format_2019_one_line_2019.txt", "licensing_items_change", Decimal("0"), "2870113"),
        ("format_2019_one_line_2019.txt", "licensing_items_last_year", Decimal("287"), "2870113"),
        ("format_2019_one_line_2019.txt", "penalty_decisions", Decimal("1873"), "1120-61873"),
        ("format_2019_one_line_2019.txt", "penalty_items_change", Decimal("-6"), "1120-61873"),
        ("format_2019_one_line_2019.txt", "penalty_items_last_year", Decimal("1120"), "1120-61873"),
        ("format_2019_one_line_2020.txt", "coercion_decisions", Decimal("76"), "1076"),
        ("format_2019_one_line_2020.txt", "coercion_items_change", Decimal("0"), "1076"),
        ("format_2019_one_line_2020.txt", "coercion_items_last_year", Decimal("1"), "1076"),
        ("format_2019_one_line_2020.txt", "other_services_decisions", Decimal("1296"), "6401296"),
        ("format_2019_one_line_2020.txt", "other_services_items_change", Decimal("0"), "6401296"),
        ("format_2019_one_line_2020.txt", "other_services_items_last_year", Decimal("64"), "6401296"),
    ]
    settled_by = query(
        table_warehouse,
        """
        select distinct regexp_extract(reports.source_path, '[^/]+$'), splits.row_key,
            regexp_extract(others.source_path, '[^/]+$')
        from intermediate.int_table_runs_split as splits
        join staging.stg_reports as reports using (report_id)
        join staging.stg_reports as others on splits.settled_by_report_id = others.report_id
        order by all
        """,
    )
    assert settled_by == [
        ("format_2019_one_line_2019.txt", "fees", "format_2019_one_line_2020.txt"),
        ("format_2019_one_line_2019.txt", "licensing", "format_2019_one_line_2020.txt"),
        ("format_2019_one_line_2019.txt", "penalty", "format_2019_one_line_2020.txt"),
        ("format_2019_one_line_2020.txt", "coercion", "format_2019_one_line_2019.txt"),
        ("format_2019_one_line_2020.txt", "other_services", "format_2019_one_line_2019.txt"),
    ]
    issues = query(
        table_warehouse,
        f"""
        select regexp_extract(reports.source_path, '[^/]+$') as file, issues.row_key, issues.detail
        from intermediate.int_table_extraction_issues as issues
        join staging.stg_reports as reports using (report_id)
        where file in {ONE_LINE_2019}
        order by all
        """,
    )
    assert issues == [
        (
            "format_2019_one_line_2019.txt",
            "normative_docs",
            "10 splits keep every rule: 4,5,4545; 4,54,545; 4,545,45; 4,5454,5; 45,4,545; 45,45,45; 45,454,5; "
            "454,5,45; 454,54,5; 4545,4,5",
        ),
        (
            "format_2019_one_line_2019.txt",
            "procurement",
            "6 splits keep every rule: 4,121523.68; 41,21523.68; 412,1523.68; 4121,523.68; 41215,23.68; 412152,3.68",
        ),
        (
            "format_2019_one_line_2020.txt",
            "penalty",
            "4 splits keep every rule: 1114,2,1950; 1114,21,950; 1114,219,50; 1114,2195,0",
        ),
    ]


def test_without_the_next_years_report_those_runs_stay_ambiguous(table_warehouse: Path) -> None:
    """The 2019 one-line report again, under an issuer of its own (shared_corpus.LONE_RUNS): no report of the year
    after settles its runs. And a space-separated table whose label runs into its first cell."""
    lone, spaced = "format_2019_one_line_2019_alone.txt", "spaced_2021.txt"
    issues = query(
        table_warehouse,
        f"""
        select regexp_extract(reports.source_path, '[^/]+$') as file, issue_kind, row_key, detail
        from intermediate.int_table_extraction_issues join staging.stg_reports as reports using (report_id)
        where regexp_extract(reports.source_path, '[^/]+$') in ('{lone}', '{spaced}')
        order by all
        """,
    )
    assert issues == [
        (lone, "run_ambiguous", "fees", "2 splits keep every rule: 1,80; 18,0"),
        (
            lone,
            "run_ambiguous",
            "licensing",
            "11 splits keep every rule: 2,8,70113; 2,870,113; 2,8701,13; 2,87011,3; 28,70,113; 28,701,13; "
            "28,7011,3; 287,0,113; 2870,1,13; 2870,11,3",
        ),
        (
            lone,
            "run_ambiguous",
            "normative_docs",
            "10 splits keep every rule: 4,5,4545; 4,54,545; 4,545,45; 4,5454,5; 45,4,545; 45,45,45; 45,454,5; "
            "454,5,45; 454,54,5; 4545,4,5",
        ),
        (
            lone,
            "run_ambiguous",
            "penalty",
            "3 splits keep every rule: 1120,-618,73; 1120,-61,873; 1120,-6,1873",
        ),
        (
            lone,
            "run_ambiguous",
            "procurement",
            "6 splits keep every rule: 4,121523.68; 41,21523.68; 412,1523.68; 4121,523.68; 41215,23.68; 412152,3.68",
        ),
        (spaced, "cell_count_mismatch", "normative_docs", "expected 3 cells, found 2"),
    ]
    codes = query(
        table_warehouse,
        f"""
        select distinct values.indicator_code
        from marts.fct_indicator_values as values join staging.stg_reports as reports using (report_id)
        where regexp_extract(reports.source_path, '[^/]+$') in ('{lone}', '{spaced}')
            and (values.indicator_code like '%items%' or values.indicator_code like 'normative_docs%')
        order by 1
        """,
    )
    assert codes == [
        ("coercion_items_change",),
        ("coercion_items_last_year",),
        ("other_services_items_change",),
        ("other_services_items_last_year",),
    ]


def test_ocr_tables_join_wrapped_labels_read_misreadings_back_and_give_nothing_for_the_rest(
    table_warehouse: Path,
) -> None:
    rows = query(
        table_warehouse,
        f"""
        select v.file, v.indicator_code, v.value, v.line_no, v.row_label, v.evidence,
            substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset)
        from ({VALUES_BY_FILE}) as v join staging.stg_reports as r using (report_id)
        where v.file like '%_ocr_markdown.txt' and v.applicant_type = 'total'
            and v.indicator_code in ('other_services_decisions', 'outcome_unavailable_not_held',
                'outcome_other_unpaid_fee')
        order by v.file, v.indicator_code
        """,
    )
    assert rows == [
        (
            "format_2019_ocr_markdown.txt",
            "other_services_decisions",
            Decimal("87"),
            13,
            "其他对外管理服务事项",
            "其他对外管理服务 | |||  | 事项 |       5 |       0 |        87 |",
            "87",
        ),
        (
            "format_2019_ocr_markdown.txt",
            "outcome_unavailable_not_held",
            Decimal("3"),
            42,
            "1.本机关不掌握相关政府信息",
            "1.本机关不掌握相关政府信息 | |||||||  | | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
            "3",
        ),
        (
            "format_2021_ocr_markdown.txt",
            "outcome_other_unpaid_fee",
            Decimal("0"),
            50,
            "2.申请人逾期末按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期末按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
            "0",
        ),
        (
            "format_2021_ocr_markdown.txt",
            "outcome_unavailable_not_held",
            Decimal("1"),
            41,
            "(四)无法提供1.本机关不掌握相关政府信息",
            "(四)无法提供 | 1.本机关不掌握相关政府 |  |  |  |  |  |  | | 信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
            "1",
        ),
    ]
    issues = query(
        table_warehouse,
        """
        select regexp_extract(reports.source_path, '[^/]+$'), issues.issue_kind, issues.row_key, issues.detail
        from intermediate.int_table_extraction_issues as issues
        join staging.stg_reports as reports using (report_id)
        where reports.source_path like '%_ocr_markdown.txt'
        """,
    )
    # a row that lost a cell gives nothing and is recorded;
    # a label no seed row reads back (属于行政执法桊卷) gives nothing
    assert issues == [
        (
            "format_2021_ocr_markdown.txt",
            "cell_count_mismatch",
            "outcome_not_processed_excessive",
            "expected 7 cells, found 6",
        )
    ]
    found = values_of(table_warehouse, "format_2019_ocr_markdown.txt")
    assert [key for key in found if key[0] == "outcome_withheld_enforcement_file"] == []


def test_cumulative_columns_keep_codes_of_their_own_and_stay_out_of_the_yearly_marts(table_warehouse: Path) -> None:
    """A local legacy table's 累计 / 历年累计数 column is kept under `<code>_cumulative` (issue 17), with its cell's
    line, offsets and evidence; no measure, panel or roll-up of the year's figures takes it."""
    rows = query(
        table_warehouse,
        "select file, indicator_code, value, column_label, raw_cell_text, line_no, start_offset, end_offset, evidence "
        f"from ({VALUES_BY_FILE}) where file = 'legacy_2010_local_pipe_cumulative.txt' "
        "and indicator_code in "
        "('proactive_total', 'proactive_total_cumulative', 'application_fees_collected_cumulative') "
        "order by indicator_code",
    )
    assert rows == [
        ("legacy_2010_local_pipe_cumulative.txt", "application_fees_collected_cumulative", Decimal("0.012"), "累计",
         "120", 47, 1326, 1329, "(一)收费金额 | 元 | 0 | 120"),
        ("legacy_2010_local_pipe_cumulative.txt", "proactive_total", Decimal(2846), "本年度", "2846", 21, 718, 722,
         "(一)主动公开政府信息数 | 条 | 2846 | 15230"),
        ("legacy_2010_local_pipe_cumulative.txt", "proactive_total_cumulative", Decimal(15230), "累计", "15230", 21,
         725, 730, "(一)主动公开政府信息数 | 条 | 2846 | 15230"),
    ]  # fmt: skip
    # 历年累计数 between 本年数 and a signed 同比增减 column: the middle cell, and never the change
    rows = query(
        table_warehouse,
        f"select indicator_code, value, column_label from ({VALUES_BY_FILE}) "
        "where file = 'legacy_2011_local_spaces_historical_cumulative.txt' and indicator_code like 'proactive_total%' "
        "order by indicator_code",
    )
    assert rows == [
        ("proactive_total", Decimal(1375), "本年数"),
        ("proactive_total_cumulative", Decimal(5862), "历年累计数"),
    ]
    by_file = """
        select regexp_extract(reports.source_path, '[^/]+$') as file, marts.*
        from {relation} as marts join staging.stg_reports as reports using (report_id)
    """
    measures = query(
        table_warehouse,
        "select file, measure, value from ("
        + by_file.format(relation="marts.fct_harmonized_measures")
        + ") where file like 'legacy_201%cumulative.txt' and measure = 'applications_received' order by file",
    )
    assert measures == [
        ("legacy_2010_local_pipe_cumulative.txt", "applications_received", Decimal(36)),
        ("legacy_2011_local_spaces_historical_cumulative.txt", "applications_received", Decimal(19)),
    ]
    # the panel counts the year's values only (23 table cells and one prose figure of 2010; the 23 cumulative
    # cells not counted), and the region roll-up sums the year's figures
    panel = query(
        table_warehouse,
        "select file, indicator_value_count, applications_received, proactive_total_cumulative from ("
        + by_file.format(relation="marts.mart_report_indicators")
        + ") where file like 'legacy_201%cumulative.txt' order by file",
    )
    assert panel == [
        ("legacy_2010_local_pipe_cumulative.txt", 24, 36, 15230),
        ("legacy_2011_local_spaces_historical_cumulative.txt", 17, 19, 5862),
    ]
    assert query(
        table_warehouse,
        "select region_code, report_year, applications_received, applications_received_issuer_count "
        "from marts.mart_region_year_summary where (region_code, report_year) in (('330400', 2010), ('431000', 2011)) "
        "order by region_code",
    ) == [("330400", 2010, 36, 1), ("431000", 2011, 19, 1)]


def test_ocr_digits_misread_as_letters_are_read_back_only_in_otherwise_digit_cells(table_warehouse: Path) -> None:
    """1O5, 2o, l2, I4 in the number cells of an OCR'd markdown table are read back (seed table_number_misreadings):
    the value is the number, the raw text and the evidence keep the cell as printed, and the value says it was read
    back. A cell of a letter alone (O) is not read back: it gives no value, and is not called blank either."""
    rows = query(
        table_warehouse,
        f"""
        select v.indicator_code, v.applicant_type, v.value, v.raw_cell_text, v.extraction_method, v.note,
            v.cell_meaning, substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset), v.evidence
        from ({PANEL_BY_FILE}) as v join staging.stg_reports as r using (report_id)
        where v.file = 'format_2021_ocr_digits.txt'
            and (v.extraction_method = 'cell_read_back' or v.cell_meaning = 'unreadable')
        order by v.start_offset
        """,
    )
    read_back = "OCR misread digits read back from "
    assert rows == [
        ("normative_docs_issued", "total", Decimal(10), "1O", "cell_read_back", read_back + "1O", "reported", "1O",
         "行政规范性文件 | 1O | 1 | l3"),
        ("normative_docs_in_force", "total", Decimal(13), "l3", "cell_read_back", read_back + "l3", "reported", "l3",
         "行政规范性文件 | 1O | 1 | l3"),
        ("licensing_decisions", "total", Decimal(20), "2o", "cell_read_back", read_back + "2o", "reported", "2o",
         "行政许可 | 2o |  |"),
        ("penalty_decisions", "total", Decimal(1205), "l2O5", "cell_read_back", read_back + "l2O5", "reported", "l2O5",
         "行政处罚 | l2O5 |  |"),
        ("coercion_decisions", "total", None, "O", "cell", None, "unreadable", "O", "行政强制 | O |  |"),
        ("fee_amount", "total", Decimal("1.05"), "1.O5", "cell_read_back", read_back + "1.O5", "reported", "1.O5",
         "行政事业性收费 | 1.O5 |  |"),
        ("applications_received", "natural_person", Decimal(15), "l5", "cell_read_back", read_back + "l5",
         "reported", "l5", "、本年新收政府信息公开申请数量 | l5 | 1 | 0 | 0 | 0 | 0 | l6"),
        ("applications_received", "total", Decimal(16), "l6", "cell_read_back", read_back + "l6", "reported", "l6",
         "、本年新收政府信息公开申请数量 | l5 | 1 | 0 | 0 | 0 | 0 | l6"),
        ("outcome_disclosed", "natural_person", Decimal(11), "1l", "cell_read_back", read_back + "1l", "reported",
         "1l", "(一)予以公开 | 1l | 1 | 0 | 0 | 0 | 0 | l2"),
        ("outcome_disclosed", "total", Decimal(12), "l2", "cell_read_back", read_back + "l2", "reported", "l2",
         "(一)予以公开 | 1l | 1 | 0 | 0 | 0 | 0 | l2"),
        ("outcome_not_processed_repeat", "natural_person", None, "O", "cell", None, "unreadable", "O",
         "2.重复申请 | O | 0 | 0 | 0 | 0 | 0 | 0"),
        ("outcome_total", "natural_person", Decimal(14), "I4", "cell_read_back", read_back + "I4", "reported", "I4",
         "(七)总计 | I4 | 1 | 0 | 0 | 0 | 0 | l5"),
        ("outcome_total", "total", Decimal(15), "l5", "cell_read_back", read_back + "l5", "reported", "l5",
         "(七)总计 | I4 | 1 | 0 | 0 | 0 | 0 | l5"),
        ("litigation_direct_upheld", "total", Decimal(10), "1o", "cell_read_back", read_back + "1o", "reported", "1o",
         "尚末审结 | 总计 | | 0 | 0 | 0 | 0 | 0 | 1o | 0 | 0 | 0 | 1O | 0 | 0 | 0 | 0 | 0"),
        ("litigation_direct_total", "total", Decimal(10), "1O", "cell_read_back", read_back + "1O", "reported", "1O",
         "尚末审结 | 总计 | | 0 | 0 | 0 | 0 | 0 | 1o | 0 | 0 | 0 | 1O | 0 | 0 | 0 | 0 | 0"),
    ]  # fmt: skip


def test_an_ocr_label_wrapped_over_three_lines_is_joined(table_warehouse: Path) -> None:
    """Two lines of label text and empty cells, then the line with the label's end and the values: the row starts
    on the first line and its label is the three joined (末 read back as 未); the cell keeps its own line."""
    rows = query(
        table_warehouse,
        f"""
        select v.applicant_type, v.value, v.line_no, v.row_label, v.evidence
        from ({VALUES_BY_FILE}) as v
        where v.file = 'format_2021_ocr_digits.txt' and v.indicator_code = 'outcome_other_unpaid_fee'
            and v.applicant_type in ('natural_person', 'total')
        order by v.applicant_type
        """,
    )
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    evidence = (
        "2.申请人逾期末按收费通知要求 |  |  |  |  |  |  |  | | 缴纳费用、行政机关不再处理其政 |  |  |  |  |  |  |  | "
        "| 府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    )
    assert rows == [
        ("natural_person", Decimal(0), 52, label, evidence),
        ("total", Decimal(0), 52, label, evidence),
    ]
    started = query(
        table_warehouse,
        """
        select rows.start_line, rows.end_line
        from intermediate.int_table_rows_matched as rows join staging.stg_reports as reports using (report_id)
        where reports.source_path like '%format_2021_ocr_digits.txt' and rows.row_key = 'outcome_other_unpaid_fee'
        """,
    )
    assert started == [(50, 52)]
