"""The marts analysts query: the wide report table, the issuer x year panel, the region roll-up, the indicator
dictionary, and the dbt docs site that documents them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import ROOT, query, rows_by_file

ACCEPTANCE = ROOT / "tests" / "acceptance"
# A value the marts give that the acceptance file does not list: seed 002's 举办了政务微博应用培训班，
# 共计47个单位80多人参加培训 counts one class on micro-blogs, not the year's disclosure training (a known precision
# gap of the prose cues).
KNOWN_EXTRA_VALUES = {"002_8415d511d2c02aaa.txt": {"training_attendees": Decimal(80)}}
INDICATOR_CODES = [
    row["code"] for row in csv.DictReader((ROOT / "seeds" / "contract" / "indicators.csv").open(encoding="utf-8"))
]


def test_mart_report_indicators_gives_the_expected_values_of_the_five_seeds(
    quality_warehouse: tuple[Path, str],
) -> None:
    db_path, _ = quality_warehouse
    with (ACCEPTANCE / "seed_expected.csv").open(encoding="utf-8") as handle:
        expected: dict[str, dict[str, Decimal | None]] = {}
        for row in csv.DictReader(handle):
            if row["applicant_type"] == "total":
                expected.setdefault(row["file"], {})[row["indicator_code"]] = (
                    Decimal(row["value"]) if row["value"] else None
                )
    rows = rows_by_file(db_path, f"select report_id, {', '.join(INDICATOR_CODES)} from marts.mart_report_indicators")
    found = {
        row[0]: {code: value for code, value in zip(INDICATOR_CODES, row[1:], strict=True) if value is not None}
        for row in rows
        if row[0] in expected
    }
    assert found == {
        file: {code: value for code, value in values.items() if value is not None} | KNOWN_EXTRA_VALUES.get(file, {})
        for file, values in expected.items()
    }


def test_mart_report_indicators_has_one_row_per_report_with_its_metadata(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = rows_by_file(
        db_path,
        "select report_id, report_year, template_version, indicator_value_count, quality_issue_count, "
        "applications_received from marts.mart_report_indicators where report_year < 2019",
    )
    assert rows == [
        ("000_d4ff795807e30615.txt", 2015, "legacy", 11, 0, None),
        ("001_082f890431297067.txt", 2016, "legacy", 38, 0, Decimal(2)),
        ("002_8415d511d2c02aaa.txt", 2012, "legacy", 7, 0, Decimal(1)),
        ("003_571ed394d0d9efb0.txt", 2018, "legacy", 5, 0, Decimal(0)),
        ("004_81c7aeba41491e94.txt", 2013, "legacy", 8, 1, Decimal(97)),
        ("legacy_implausible_magnitude.txt", 2015, "legacy", 52, 1, Decimal(97)),
        ("legacy_parts_and_totals.txt", 2015, "legacy", 51, 3, Decimal(97)),
        ("legacy_website_above_total.txt", 2015, "legacy", 52, 1, Decimal(97)),
    ]
    assert query(db_path, "select count(*) from marts.mart_report_indicators") == [(16,)]


PANEL_COLUMNS = (
    "issuer_key, report_year, admin_level, report_count, applications_received, applications_disclosed, "
    "applications_decided, reconsideration_total, reconsideration_corrected, litigation_total, litigation_corrected, "
    "round(disclosure_share, 4), reconsideration_correction_rate, litigation_correction_rate"
)


def test_the_panel_harmonizes_legacy_and_2021_reports(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = query(
        db_path,
        f"select {PANEL_COLUMNS} from marts.mart_issuer_year_panel "
        "where issuer_key not like '130500:%' and issuer_key not like ':%' order by issuer_key, report_year",
    )
    d = Decimal
    assert rows == [
        # seed 001: 申请答复数 2, 同意公开 2, 同意部分公开 blank: the disclosed count and share stay null
        ("220104:朝阳区人民政府", 2016, "county", 1, d(2), None, d(2), d(0), None, d(0), None, None, None, None),
        ("410700:高新技术产业开发区管委会", 2015, "county", 1, None, None, None, d(0), None, d(0), None, None, None,
         None),
        ("419001:人民政府", 2013, "city", 1, d(97), None, None, None, None, None, None, None, None, None),
        # the quality fixtures of 2019 table 二 items: no table 三 or 四
        ("430223:攸县人民政府", 2019, "county", 1, None, None, None, None, None, None, None, None, None, None),
        ("430223:攸县人民政府", 2020, "county", 1, None, None, None, None, None, None, None, None, None, None),
        ("430621:新开镇人民政府", 2018, "township", 1, d(0), None, None, d(0), None, d(0), None, None, None, None),
        # format_2021: (予以公开 28 + 部分公开 5) / 总计 78; litigation = direct 1 + after review 1, none corrected
        *[
            (key, year, "department", 1, d(78 if year == 2024 else 79), d(33), d(78), d(3), d(0), d(2), d(0),
             0.4231, 0.0, 0.0)
            for key, year in [
                ("510104:锦江区市场监督管理局", 2023),
                ("510105:青羊区市场监督管理局", 2023),
                ("510106:金牛区市场监督管理局", 2023),
                ("510108:成华区市场监督管理局", 2022),
                ("510108:成华区市场监督管理局", 2023),
                ("510108:成华区市场监督管理局", 2024),
            ]
        ],
        ("652100:行政公署", 2012, "city", 1, d(1), None, None, d(0), None, d(0), None, None, None, None),
    ]  # fmt: skip


def test_a_legacy_disclosure_share_is_agreed_answers_over_answers(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = query(
        db_path,
        f"select {PANEL_COLUMNS} from marts.mart_issuer_year_panel where issuer_key = '130500:信都区人民政府'",
    )
    # 同意公开 38 + 同意部分公开 6 over 申请答复数 95; 行政复议 2 with 被依法纠错 0; 行政诉讼 1, 纠错 blank
    d = Decimal
    assert rows == [
        ("130500:信都区人民政府", 2015, "city", 1, d(97), d(44), d(95), d(2), d(0), d(1), None, 0.4632, 0.0, None)
    ]


def test_the_marts_give_counts_as_bigint_never_hugeint(quality_warehouse: tuple[Path, str]) -> None:
    """A sum of bigint counts is a HUGEINT in DuckDB, a type BI tools and DuckDB 1.x readers handle badly."""
    db_path, _ = quality_warehouse
    assert (
        query(
            db_path,
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'HUGEINT' order by all",
        )
        == []
    )
    assert query(
        db_path,
        "select data_type from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'mart_region_year_summary' and column_name = 'applications_received'",
    ) == [("BIGINT",)]


def test_the_region_roll_up_sums_issuers_by_province_and_city(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    rows = query(
        db_path,
        "select region_code, region_name, region_level, report_year, report_count, issuer_count, error_report_count, "
        "applications_received, applications_received_issuer_count, round(disclosure_share, 4) "
        "from marts.mart_region_year_summary order by region_code, report_year",
    )
    d = Decimal
    assert rows == [
        ("130000", "河北省", "province", 2015, 2, 2, 1, d(194), 2, 0.4632),
        ("130500", "邢台市", "city", 2015, 2, 2, 1, d(194), 2, 0.4632),
        ("220000", "吉林省", "province", 2016, 1, 1, 0, d(2), 1, None),
        ("220100", "长春市", "city", 2016, 1, 1, 0, d(2), 1, None),
        ("410000", "河南省", "province", 2013, 1, 1, 0, d(97), 1, None),
        ("410000", "河南省", "province", 2015, 1, 1, 0, None, 0, None),
        ("410700", "新乡市", "city", 2015, 1, 1, 0, None, 0, None),
        ("419001", "济源市", "city", 2013, 1, 1, 0, d(97), 1, None),
        ("430000", "湖南省", "province", 2018, 1, 1, 0, d(0), 1, None),
        ("430000", "湖南省", "province", 2019, 1, 1, 0, None, 0, None),
        ("430000", "湖南省", "province", 2020, 1, 1, 0, None, 0, None),
        ("430200", "株洲市", "city", 2019, 1, 1, 0, None, 0, None),
        ("430200", "株洲市", "city", 2020, 1, 1, 0, None, 0, None),
        ("430600", "岳阳市", "city", 2018, 1, 1, 0, d(0), 1, None),
        ("510000", "四川省", "province", 2022, 1, 1, 0, d(79), 1, 0.4231),
        ("510000", "四川省", "province", 2023, 4, 4, 3, d(316), 4, 0.4231),
        ("510000", "四川省", "province", 2024, 1, 1, 0, d(78), 1, 0.4231),
        ("510100", "成都市", "city", 2022, 1, 1, 0, d(79), 1, 0.4231),
        ("510100", "成都市", "city", 2023, 4, 4, 3, d(316), 4, 0.4231),
        ("510100", "成都市", "city", 2024, 1, 1, 0, d(78), 1, 0.4231),
        ("650000", "新疆维吾尔自治区", "province", 2012, 1, 1, 0, d(1), 1, None),
        ("652100", "吐鲁番地区", "city", 2012, 1, 1, 0, d(1), 1, None),
    ]


def test_dim_indicators_is_the_contract_with_its_coverage(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    spec_codes = [
        row["code"]
        for row in csv.DictReader((ACCEPTANCE.parent.parent / "seeds" / "contract" / "indicators.csv").open())
    ]
    assert [code for (code,) in query(db_path, "select indicator_code from marts.dim_indicators order by 1")] == sorted(
        spec_codes
    )
    # the 123 codes of ../shared/spec/indicators.csv, policy_graphic_interpretations (制作图解12个, issue 17) and the
    # 53 cumulative codes of local legacy tables (累计 beside 本年度)
    assert len(spec_codes) == 177
    rows = query(
        db_path,
        "select indicator_code, unit, is_in_legacy, is_in_format_2019, is_in_format_2021, is_in_prose, is_cumulative, "
        "parent_code, parent_rule, report_count from marts.dim_indicators where indicator_code in "
        "('applications_received', 'proactive_via_website', 'outcome_other', 'applications_received_cumulative', "
        "'staff_total_cumulative') order by indicator_code",
    )
    assert rows == [
        ("applications_received", "件", True, True, True, True, False, None, None, 13),
        ("applications_received_cumulative", "件", False, False, False, False, True, None, None, 0),
        ("outcome_other", "件", False, True, True, False, False, "outcome_total", "sum", 6),
        ("proactive_via_website", "条", True, False, False, True, False, "proactive_total", "le", 6),
    ]


def test_docs_generate_documents_every_mart_column(quality_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    db_path, _ = quality_warehouse
    out = tmp_path / "docs"
    result = subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", "docs", "--db", str(db_path), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # dbt started from the parse the build made (the same vars: zfxxgk.dbt_build.project_variables)
    log = (db_path.parent / "zfxxgk-work" / "logs" / "dbt.log").read_text(encoding="utf-8")
    this_run = log.rsplit("Running with dbt=", 1)[1]
    assert "Found " in this_run  # dbt read the project
    assert "Unable to do partial parsing" not in this_run
    assert (out / "index.html").is_file()
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for model in ("mart_report_indicators", "mart_issuer_year_panel", "mart_region_year_summary", "dim_indicators"):
        assert f"model.zfxxgk.{model}" in catalog["nodes"]
    for model in ("mart_issuer_year_panel", "mart_region_year_summary", "dim_indicators", "fct_harmonized_measures"):
        built = {name.lower() for name in catalog["nodes"][f"model.zfxxgk.{model}"]["columns"]}
        documented = {
            name
            for name, column in manifest["nodes"][f"model.zfxxgk.{model}"]["columns"].items()
            if column["description"]
        }
        assert built == documented, model
    panel_columns = manifest["nodes"]["model.zfxxgk.mart_issuer_year_panel"]["columns"]
    assert panel_columns["disclosure_share"]["description"].startswith("applications_disclosed / applications_decided")
