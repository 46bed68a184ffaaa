"""Accuracy on real reports: the 30 real openings of tests/fixtures/real (and the three PDFs' text), against the gold.

The warehouse is built once from the inputs of scripts/score_real.py. Every difference from the gold must be one of
tests/fixtures/real/known_differences.csv, and every row of that list must still be a difference: fixing a miss,
losing a value, a new wrong value or a new value the gold does not hold fails the test until the list is regenerated
(`python scripts/score_real.py --write-known`) and its diff read.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SharedWarehouse, query, score_real

ROOT = Path(__file__).resolve().parents[2]
REAL_DIR = ROOT / "tests" / "fixtures" / "real"
APPLICANT_TYPES = {"natural_person", "business", "research_institution", "nonprofit", "legal_service", "other_org"}


@pytest.fixture(scope="module")
def real_db(real_warehouse: SharedWarehouse) -> Path:
    """The warehouse of score_real's inputs (conftest.real_warehouse, shared with test_real_metadata)."""
    return real_warehouse.db_path


@pytest.fixture(scope="module")
def real_values(real_db: Path) -> dict[tuple[str, str, str], Decimal]:
    return score_real.warehouse_values(real_db)


@pytest.fixture(scope="module")
def found(real_values: dict[tuple[str, str, str], Decimal]) -> list:
    return score_real.differences(score_real.load_gold(), real_values)


def _compare(found: list, kind: str) -> None:
    now = {d for d in found if d.kind == kind}
    known = {d for d in score_real.read_known() if d.kind == kind}
    lines = [f"new:  {d.describe()}" for d in sorted(now - known)]
    lines += [f"gone: {d.describe()}" for d in sorted(known - now)]
    assert now == known, "\n".join([f"{kind} values differ from known_differences.csv:", *lines])


def test_the_fixtures_are_the_thirty_openings_of_sources_tsv() -> None:
    with (REAL_DIR / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        listed = [row["file"] for row in csv.DictReader(handle, delimiter="\t")]
    assert len(listed) == 30
    assert sorted(path.name for path in REAL_DIR.glob("*.txt")) == sorted(listed)
    assert [p.name for p in score_real.build_inputs()] == [
        *sorted(listed),
        "pdf_text_hongze_district_2023.txt",
        "pdf_text_hongze_district_2024.txt",
        "pdf_text_huaian_city_2024.txt",
    ]


def test_the_gold_names_fixtures_contract_codes_and_one_value_per_key() -> None:
    with (ROOT / "seeds" / "contract" / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    gold = score_real.load_gold()
    files = {p.name for p in score_real.build_inputs()}
    assert {row["file"] for row in gold} <= files
    assert {row["indicator_code"] for row in gold} <= codes
    assert {row["applicant_type"] for row in gold} <= APPLICANT_TYPES | {"total"}
    assert {row["source_kind"] for row in gold} == {"table", "prose"}
    assert {row["confidence"] for row in gold} == {"high", "low"}
    keys = [score_real.gold_key(row) for row in gold]
    assert len(keys) == len(set(keys))
    # table 三's applicant columns only in the application table of format_2019/2021 reports
    assert {row["indicator_code"] for row in gold if row["applicant_type"] != "total"} <= {
        code for code in codes if code.startswith(("applications_carried_over", "outcome_"))
    } | {"applications_received"}


@pytest.mark.parametrize("name", ["real_values.csv", "pdf_prose_values.csv"])
def test_the_gold_breaks_no_rule_of_check_values(name: str) -> None:
    check = score_real.DEFAULT_SPEC_DIR / "check_values.py"
    if not check.exists():
        pytest.skip(f"{check} is not beside the repo")
    result = subprocess.run([sys.executable, str(check), str(REAL_DIR / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().endswith(" 0 broken rules")


def test_no_value_differs_from_the_gold_except_the_known_wrong_ones(found: list) -> None:
    _compare(found, "wrong")


def test_the_warehouse_misses_exactly_the_known_misses(found: list) -> None:
    _compare(found, "missed")


def test_every_value_outside_the_gold_is_a_known_one(found: list) -> None:
    _compare(found, "unlabelled")


def test_the_figures_are_what_the_known_differences_leave(real_values: dict[tuple[str, str, str], Decimal]) -> None:
    gold = [row for row in score_real.load_gold() if score_real.is_scored(row)]
    known = {(d.file, d.indicator_code, d.applicant_type): d for d in score_real.read_known()}
    expected: dict[str, dict[str, int]] = {}
    for row in gold:
        s = expected.setdefault(row["source_kind"], {"gold": 0, "hit": 0, "wrong": 0, "null_gold": 0, "null_ok": 0})
        difference = known.get(score_real.gold_key(row))
        if row["value"] == "":
            s["null_gold"] += 1
            s["null_ok" if difference is None else "wrong"] += 1
        else:
            s["gold"] += 1
            if difference is None:
                s["hit"] += 1
            elif difference.kind == "wrong":
                s["wrong"] += 1
    assert score_real.figures(gold, real_values) == expected


def test_the_misses_fixed_in_issue_17_keep_their_provenance(real_db: Path) -> None:
    """An amount printed with its unit in its cell (one cell per paragraph: 政府集中采购 / 6 / 152790元), 规范性文件83件
    after 其中 of the proactive headline of its sentence, and 制作政策解读21个 (the PDF's line break inside)."""
    rows = query(
        real_db,
        """
        select regexp_extract(reports.source_path, '[^/]+$'), v.indicator_code, v.value, v.source_kind,
            v.raw_cell_text, v.unit, v.note, v.line_no, v.evidence
        from marts.fct_indicator_values as v join staging.stg_reports as reports using (report_id)
        where (reports.source_path like '%122_kangle%' and v.indicator_code like 'procurement_%')
            or (reports.source_path like '%131_jiangxi%' and v.indicator_code = 'proactive_normative_docs')
            or (reports.source_path like '%huaian_city_2024%' and v.indicator_code = 'policy_interpretations')
        order by 1, 2
        """,
    )
    assert rows == [
        ("122_kangle_shangwanxiang_2019.txt", "procurement_amount", Decimal("15.279"), "table", "152790元", "万元",
         "converted from 元", 123, "政府集中采购  6  152790元"),
        ("122_kangle_shangwanxiang_2019.txt", "procurement_projects", Decimal(6), "table", "6", "项", None, 121,
         "政府集中采购  6  152790元"),
        ("131_jiangxi_shengzhengfubangongting_2019_mirror.txt", "proactive_normative_docs", Decimal(83), "prose",
         "83件", "条", None, 8, "规范性文件83件"),
        ("pdf_text_huaian_city_2024.txt", "policy_interpretations", Decimal(21), "prose", "21 个", "篇", None, 19,
         "通过文字、图片等形式制作政策解读\n21 个"),
    ]  # fmt: skip
