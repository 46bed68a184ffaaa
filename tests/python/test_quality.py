"""The consistency rules: each with a fixture that breaks it and one that keeps it, in fct_quality_issues,
dim_reports' quality summary and the warn-severity dbt tests (whose failures are stored, not fatal)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import QUALITY_FIXTURES, query, rows_by_file

EXPECTED = QUALITY_FIXTURES / "quality_issues.expected.csv"

# For each rule: a fixture that gives every code the rule reads and keeps it.
RULE_KEEPERS = {
    "part_exceeds_whole": ("legacy_implausible_magnitude.txt", ["proactive_total", "proactive_via_website"]),
    "parts_differ_from_total": ("format_2021_applicant_columns.txt", ["reconsideration_total", "outcome_total"]),
    "parts_exceed_total": ("legacy_website_above_total.txt", ["applications_received", "applications_in_person"]),
    "applicant_columns_differ_from_total": ("format_2021_intake_balance.txt", ["applications_received"]),
    "intake_out_of_balance": ("format_2021_review_block.txt", ["outcome_total", "applications_carried_over_out"]),
    "implausible_magnitude": ("legacy_parts_and_totals.txt", ["responses_via_weibo_wechat"]),
    "carried_over_mismatch": ("format_2021_carry_2024.txt", ["applications_carried_over_in"]),
    "items_carried_over_mismatch": (
        "format_2019_items_2019.txt",
        ["licensing_items_last_year", "licensing_items_change", "penalty_items_last_year", "penalty_items_change"],
    ),
}


def expected_issues() -> list[tuple]:
    with EXPECTED.open(encoding="utf-8") as handle:
        return [
            (
                row["file"],
                row["rule"],
                row["severity"],
                row["indicator_codes"],
                row["applicant_type"],
                int(row["expected_value"]),
                int(row["actual_value"]),
                int(row["line_no"]),
            )
            for row in csv.DictReader(handle)
        ]


def test_every_fixture_gives_exactly_its_quality_issues(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    found = rows_by_file(
        db_path,
        "select report_id, rule, severity, indicator_codes, applicant_type, cast(expected_value as integer), "
        "cast(actual_value as integer), line_no from marts.fct_quality_issues",
    )
    sample_issues = [row for row in found if row[0][:3].isdigit()]
    assert sample_issues == [
        ("004_81c7aeba41491e94.txt", "prose_value_overruled", "info", "proactive_via_website", "total", 7000, 18000, 19)
    ]
    assert [row for row in found if not row[0][:3].isdigit()] == expected_issues()


def test_a_website_count_above_the_total_reads_as_a_sentence(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = rows_by_file(
        db_path,
        "select report_id, issue_sentence, evidence, rule_description from marts.fct_quality_issues "
        "where rule = 'part_exceeds_whole'",
    )
    assert rows == [
        (
            "legacy_website_above_total.txt",
            "proactive_via_website (政府网站公开政府信息数) [total] is 5934 (table, line 28), more than its whole "
            "proactive_total (主动公开政府信息数), 4934 (table, line 23): a part never exceeds its whole.",
            "2.政府网站公开政府信息数  条  5934",
            "A part is larger than its whole (政府网站公开 above 主动公开总数): the report contradicts itself, "
            "so do not trust either figure.",
        )
    ]


def test_an_issue_is_found_by_the_code_of_any_part_it_involves(quality_warehouse: tuple[Path, str]) -> None:
    """Filtering the issues by a part's code finds the broken sums it takes part in, not only those of its whole."""
    db_path, _ = quality_warehouse
    rows = rows_by_file(
        db_path,
        "select report_id, rule, indicator_codes from marts.fct_quality_issues "
        "where list_contains(string_split(indicator_codes, ','), 'applications_in_person')",
    )
    assert rows == [
        (
            "legacy_parts_and_totals.txt",
            "parts_exceed_total",
            "applications_received,applications_by_mail,applications_in_person,applications_online",
        )
    ]


def test_sentences_of_sums_balances_bounds_and_carry_overs(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = dict(
        query(
            db_path,
            "select rule, issue_sentence from marts.fct_quality_issues where rule in ('parts_exceed_total', "
            "'implausible_magnitude', 'carried_over_mismatch', 'items_carried_over_mismatch') "
            "and applicant_type = 'total' "
            "union all select rule, issue_sentence from marts.fct_quality_issues "
            "where rule = 'intake_out_of_balance' and applicant_type = 'total'",
        )
    )
    assert rows == {
        "parts_exceed_total": "The parts of applications_received (收到申请数 / 本年新收政府信息公开申请数量) [total] "
        "given already sum to 117, more than the total 97 (table, line 43): applications_by_fax blank + "
        "applications_by_mail 18 + applications_in_person 41 + applications_online 58.",
        "implausible_magnitude": "responses_via_weibo_wechat (微博微信回应事件数) [total] is 19000000 "
        "(table, line 40), above the plausible maximum 1000000 (seed indicator_bounds): probably misread.",
        "carried_over_mismatch": "applications_carried_over_in (上年结转政府信息公开申请数量) [total] is 3 "
        "(table, line 44) in 2023, but the 2022 report of 成都市成华区市场监督管理局 gives "
        "applications_carried_over_out (四、结转下年度继续办理) 4 (table, line 67).",
        "items_carried_over_mismatch": "penalty_items_last_year (行政处罚 上一年项目数量) [total] is 2245 "
        "(table, line 16) in 2020, but the 2019 report of 攸县人民政府 gives penalty_items_last_year "
        "(行政处罚 上一年项目数量) 2230 (table, line 16) + penalty_items_change (行政处罚 本年增/减) 21 "
        "(table, line 16) = 2251.",
        "intake_out_of_balance": "[total] 一、本年新收 79 + 二、上年结转 3 = 82, "
        "but （七）总计 78 + 四、结转下年度 5 = 83 (table, line 66): what comes in is decided or carried over.",
    }


@pytest.mark.parametrize("rule", sorted(RULE_KEEPERS))
def test_each_rule_has_a_fixture_that_breaks_it_and_one_that_keeps_it(
    quality_warehouse: tuple[Path, str], rule: str
) -> None:
    db_path, _ = quality_warehouse
    assert rule in {issue[1] for issue in expected_issues()}
    keeper, codes = RULE_KEEPERS[rule]
    values = dict(
        rows_by_file(
            db_path,
            "select report_id, count(*) from marts.fct_indicator_values where value is not null and "
            f"indicator_code in ({', '.join(repr(code) for code in codes)}) group by report_id",
        )
    )
    assert values[keeper] >= len(codes)
    issues = rows_by_file(db_path, f"select report_id, rule from marts.fct_quality_issues where rule = '{rule}'")
    assert keeper not in {file for file, _ in issues}


def test_dim_reports_sums_up_each_reports_quality(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = rows_by_file(
        db_path,
        "select report_id, quality_issue_count, quality_error_count, quality_warn_count, worst_severity "
        "from marts.dim_reports",
    )
    assert rows == [
        ("000_d4ff795807e30615.txt", 0, 0, 0, None),
        ("001_082f890431297067.txt", 0, 0, 0, None),
        ("002_8415d511d2c02aaa.txt", 0, 0, 0, None),
        ("003_571ed394d0d9efb0.txt", 0, 0, 0, None),
        ("004_81c7aeba41491e94.txt", 1, 0, 0, "info"),
        ("format_2019_items_2019.txt", 0, 0, 0, None),
        ("format_2019_items_2020.txt", 1, 0, 0, "info"),
        ("format_2021_applicant_columns.txt", 2, 2, 0, "error"),
        ("format_2021_carry_2022.txt", 0, 0, 0, None),
        ("format_2021_carry_2023.txt", 2, 0, 0, "info"),
        ("format_2021_carry_2024.txt", 0, 0, 0, None),
        ("format_2021_intake_balance.txt", 2, 2, 0, "error"),
        ("format_2021_review_block.txt", 1, 1, 0, "error"),
        ("legacy_implausible_magnitude.txt", 1, 0, 1, "warn"),
        ("legacy_parts_and_totals.txt", 3, 2, 1, "error"),
        ("legacy_website_above_total.txt", 1, 1, 0, "error"),
    ]


def test_broken_rules_warn_and_store_their_failures_without_stopping_the_build(
    quality_warehouse: tuple[Path, str],
) -> None:
    db_path, stdout = quality_warehouse
    assert "WARN" in stdout or "warn" in stdout
    stored = dict(
        query(
            db_path,
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'audit' "
            "and table_name like 'fct_indicator_values_%' order by all",
        )
    )
    counts = {name: query(db_path, f"select count(*) from audit.{name}")[0][0] for name in stored}
    assert counts == {
        "fct_indicator_values_applicant_columns_add_up_to_total": 1,
        "fct_indicator_values_carried_over_matches_last_year": 3,
        "fct_indicator_values_parts_add_up_to_their_total": 3,
        "fct_indicator_values_parts_never_exceed_their_whole": 1,
        "fct_indicator_values_table_3_balances": 3,
        "fct_indicator_values_values_within_bounds": 1,
    }


def test_each_kind_of_rule_is_a_model_whose_test_stores_exactly_the_breaks_fct_quality_issues_lists(
    quality_warehouse: tuple[Path, str],
) -> None:
    """One model per kind of rule (intermediate.int_rule_breaks_<kind>) computes its breaks once: its warn-severity
    test indicator_rules_hold stores exactly its rows, fct_quality_issues lists exactly them, and they are the
    rules seed quality_rules says the kind detects (detected_by 'indicator_rules_hold (<kind>)')."""
    db_path, _ = quality_warehouse
    tests_by_kind = {
        "le": "fct_indicator_values_parts_never_exceed_their_whole",
        "sum": "fct_indicator_values_parts_add_up_to_their_total",
        "applicant_columns": "fct_indicator_values_applicant_columns_add_up_to_total",
        "balance": "fct_indicator_values_table_3_balances",
        "bounds": "fct_indicator_values_values_within_bounds",
        "carried_over": "fct_indicator_values_carried_over_matches_last_year",
    }
    columns = (
        "report_id, rule, indicator_codes, applicant_type, expected_value, actual_value, issue_sentence, evidence, "
        "line_no, start_offset"
    )
    rules_of_kind = dict(
        query(
            db_path,
            "select detected_by, list(rule order by rule) from raw.quality_rules "
            "where detected_by like 'indicator_rules_hold (%' group by detected_by",
        )
    )
    assert sorted(rules_of_kind) == sorted(f"indicator_rules_hold ({kind})" for kind in tests_by_kind)
    listed_rule_breaks = 0
    for kind, test in tests_by_kind.items():
        computed = query(db_path, f"select {columns} from intermediate.int_rule_breaks_{kind} order by all")
        stored = query(db_path, f"select {columns} from audit.{test} order by all")
        listed = query(
            db_path,
            f"select {columns} from marts.fct_quality_issues "
            f"where detected_by = 'indicator_rules_hold ({kind})' order by all",
        )
        assert computed, kind
        assert stored == computed, kind
        assert listed == computed, kind
        assert {row[1] for row in computed} <= set(rules_of_kind[f"indicator_rules_hold ({kind})"]), kind
        listed_rule_breaks += len(listed)
    # every break of a consistency rule fct_quality_issues lists comes from one of the six models
    assert query(
        db_path,
        "select count(*) from marts.fct_quality_issues where detected_by like 'indicator_rules_hold (%'",
    ) == [(listed_rule_breaks,)]
    assert rules_of_kind == {
        "indicator_rules_hold (applicant_columns)": [
            "applicant_columns_differ_from_total",
            "applicant_columns_exceed_total",
        ],
        "indicator_rules_hold (balance)": ["intake_out_of_balance"],
        "indicator_rules_hold (bounds)": ["implausible_magnitude", "negative_count"],
        "indicator_rules_hold (carried_over)": ["carried_over_mismatch", "items_carried_over_mismatch"],
        "indicator_rules_hold (le)": ["part_exceeds_whole"],
        "indicator_rules_hold (sum)": ["parts_differ_from_total", "parts_exceed_total"],
    }
