"""Figures stated in prose: numerals, cues, traps, negations, conflicts with tables, and the seed acceptance rows."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DIR, query
from test_build import zfxxgk

PROSE_FIXTURES = ROOT / "tests" / "fixtures" / "prose"
ACCEPTANCE = ROOT / "tests" / "acceptance"
SEEDS = ROOT / "seeds"
TITLE = "某县人民政府2014年政府信息公开工作年度报告\n"

BY_FILE = """
select regexp_extract(reports.source_path, '[^/]+$') as file, result.*
from {relation} as result
join staging.stg_reports as reports using (report_id)
"""


def seed_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def example_sentence(example: str) -> str:
    """The sentence of a seed example, without the remark in brackets after it."""
    return example.split(" (")[0].split(" / ")[0]


@pytest.fixture(scope="module")
def prose_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse: the five samples, the prose fixtures, and one report per cue example of the seeds."""
    corpus = tmp_path_factory.mktemp("prose_corpus")
    for path in [*PROSE_FIXTURES.glob("*.txt"), *SAMPLE_DIR.glob("*.txt")]:
        shutil.copy(path, corpus / path.name)
    for seed in ("prose_figure_cues", "prose_negation_cues"):
        for row in seed_rows(seed):
            text = TITLE + example_sentence(row["example"]) + "。\n"
            (corpus / f"example_{seed}_{row['cue_id']}.txt").write_text(text, encoding="utf-8")
    db_path = tmp_path_factory.mktemp("prose_db") / "zfxxgk.duckdb"
    result = zfxxgk("run", str(corpus), "--db", str(db_path))
    assert result.returncode == 0, result.stdout + result.stderr
    return db_path


def values_of(db_path: Path, file: str) -> dict[str, tuple]:
    rows = query(
        db_path,
        f"""
        select indicator_code, value, is_approximate, source_kind
        from ({BY_FILE.format(relation="marts.fct_indicator_values")})
        where file = '{file}' and applicant_type = 'total' and value is not null
        """,
    )
    return {code: (value, approximate, source) for code, value, approximate, source in rows}


def expected_values(name: str) -> dict[str, tuple]:
    with (PROSE_FIXTURES / f"{name}.expected.csv").open(encoding="utf-8") as handle:
        return {
            row["indicator_code"]: (
                Decimal(row["value"]),
                row["is_approximate"] == "true",
                row.get("source_kind", "prose"),
            )
            for row in csv.DictReader(handle)
        }


def acceptance_rows() -> list[dict[str, str]]:
    with (ACCEPTANCE / "seed_expected.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_all_30_prose_rows_of_the_seeds_match_exactly(prose_warehouse: Path) -> None:
    prose_rows = [row for row in acceptance_rows() if row["source_kind"] == "prose"]
    assert len(prose_rows) == 30
    found = {
        (file, code): (value, approximate, source)
        for file, code, value, approximate, source in query(
            prose_warehouse,
            f"""
            select file, indicator_code, value, is_approximate, source_kind
            from ({BY_FILE.format(relation="marts.fct_indicator_values")})
            where applicant_type = 'total'
            """,
        )
    }
    expected = {
        (row["file"], row["indicator_code"]): (Decimal(row["value"]), row["is_approximate"] == "true", "prose")
        for row in prose_rows
    }
    assert {key: found.get(key) for key in expected} == expected


def test_no_seed_value_contradicts_the_expected_file(prose_warehouse: Path) -> None:
    """Neither the resolved panel nor the prose extractor gives a code a value other than the expected one."""
    expected = {
        (row["file"], row["indicator_code"], row["applicant_type"]): Decimal(row["value"]) if row["value"] else None
        for row in acceptance_rows()
    }
    contradictions = []
    for relation in ("marts.fct_indicator_values", "intermediate.int_prose_values_resolved"):
        for file, code, applicant_type, value in query(
            prose_warehouse,
            f"select file, indicator_code, applicant_type, value from ({BY_FILE.format(relation=relation)})",
        ):
            key = (file, code, applicant_type)
            if key in expected and value is not None and value != expected[key]:
                contradictions.append((relation, *key, value, expected[key]))
    assert contradictions == []


def test_numerals_arabic_chinese_wan_yi_decimals_separators_and_approximations(prose_warehouse: Path) -> None:
    with (PROSE_FIXTURES / "numerals.expected.csv").open(encoding="utf-8") as handle:
        expected = [
            (
                int(row["line_no"]),
                row["figure_text"],
                Decimal(row["value"]),
                row["unit"],
                row["is_approximate"] == "true",
            )
            for row in csv.DictReader(handle)
        ]
    found = query(
        prose_warehouse,
        f"""
        select line_no, figure_text, value, unit, is_approximate
        from ({BY_FILE.format(relation="intermediate.int_prose_figures_extracted")})
        where file = 'numerals.txt'
        order by line_no, figure_no
        """,
    )
    assert found == expected


@pytest.mark.parametrize("name", ["cues", "traps", "negations", "negations_combined", "conflicts", "pdf_wrapped"])
def test_prose_fixtures_give_exactly_the_expected_values(prose_warehouse: Path, name: str) -> None:
    assert values_of(prose_warehouse, f"{name}.txt") == expected_values(name)


def test_the_traps_give_nothing_for_the_codes_they_look_like(prose_warehouse: Path) -> None:
    """通过…发布各类信息1.8万余条, 16000余条 of towns, 电话咨询800余件, sub-units, people served, page views,
    复议及诉讼52件 together, 比上年增加300条 and 第3次 give no value of their own."""
    rows = query(
        prose_warehouse,
        f"""
        select indicator_code, value
        from ({BY_FILE.format(relation="intermediate.int_prose_figures_matched")})
        where file = 'traps.txt'
        order by start_offset
        """,
    )
    assert rows == [
        ("proactive_total", Decimal(23000)),
        ("proactive_via_website", Decimal(7000)),
        ("proactive_via_website", Decimal(18000)),
        ("applications_received", Decimal(97)),
        ("applications_online", Decimal(89)),
    ]


def test_conflicts_are_recorded_with_what_was_kept(prose_warehouse: Path) -> None:
    rows = query(
        prose_warehouse,
        f"""
        select file, conflict_kind, indicator_code, kept_value, other_value, detail
        from ({BY_FILE.format(relation="intermediate.int_prose_conflicts_detected")})
        where file in ('conflicts.txt', '004_81c7aeba41491e94.txt')
        order by all
        """,
    )
    assert rows == [
        (
            "004_81c7aeba41491e94.txt",
            "prose_value_overruled",
            "proactive_via_website",
            Decimal(7000),
            Decimal(18000),
            "A less specific sentence gives proactive_via_website 18000; the value kept is 7000.",
        ),
        (
            "conflicts.txt",
            "prose_value_overruled",
            "reconsideration_total",
            Decimal(2),
            Decimal(0),
            "A less specific sentence gives reconsideration_total 0; the value kept is 2.",
        ),
        (
            "conflicts.txt",
            "prose_values_ambiguous",
            "proactive_total",
            None,
            Decimal(4800),
            "The prose gives proactive_total several values, 4800 among them: no value is kept.",
        ),
        (
            "conflicts.txt",
            "prose_values_ambiguous",
            "proactive_total",
            None,
            Decimal(5000),
            "The prose gives proactive_total several values, 5000 among them: no value is kept.",
        ),
        (
            "conflicts.txt",
            "table_prose_differ",
            "reading_points",
            Decimal(64),
            Decimal(60),
            "The table gives reading_points 64 and the prose 60; the table value is kept.",
        ),
    ]


def test_a_prose_value_keeps_its_figure_offsets_line_and_clause(prose_warehouse: Path) -> None:
    [row] = query(
        prose_warehouse,
        f"""
        select v.raw_cell_text, v.line_no, v.evidence, v.extraction_method,
            substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset)
        from ({BY_FILE.format(relation="marts.fct_indicator_values")}) as v
        join staging.stg_reports as r using (report_id)
        where v.file = '004_81c7aeba41491e94.txt' and v.indicator_code = 'proactive_total'
        """,
    )
    assert row == ("23000余条", 29, "全年主动公开政府各类信息23000余条", "prose_figure", "23000余条")
    [(prose_values, pointing)] = query(
        prose_warehouse,
        """
        select count(*), count(case when substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset)
            = v.raw_cell_text and contains(v.evidence, v.raw_cell_text) then 1 end)
        from marts.fct_indicator_values as v join staging.stg_reports as r using (report_id)
        where v.source_kind = 'prose' and not contains(v.raw_cell_text, chr(10))
        """,
    )
    assert prose_values > 100
    assert pointing == prose_values


def test_a_figure_wrapped_over_a_page_number_keeps_the_offsets_of_its_two_parts(prose_warehouse: Path) -> None:
    [(raw, line_no, start_text, end_text)] = query(
        prose_warehouse,
        f"""
        select v.raw_cell_text, v.line_no, substr(r.text, v.start_offset + 1, 2), substr(r.text, v.end_offset, 1)
        from ({BY_FILE.format(relation="marts.fct_indicator_values")}) as v
        join staging.stg_reports as r using (report_id)
        where v.file = 'pdf_wrapped.txt' and v.indicator_code = 'applications_received'
        """,
    )
    assert (raw, line_no, start_text, end_text) == ("21\n件", 5, "21", "件")


def test_every_cue_of_the_seeds_gives_its_indicator_from_its_own_example(prose_warehouse: Path) -> None:
    found = set(
        query(
            prose_warehouse,
            f"""
            select file, indicator_code
            from ({BY_FILE.format(relation="intermediate.int_prose_values_resolved")})
            where file like 'example_%'
            """,
        )
    )
    missing = [
        (seed, row["cue_id"], row["indicator_code"])
        for seed in ("prose_figure_cues", "prose_negation_cues")
        for row in seed_rows(seed)
        if (f"example_{seed}_{row['cue_id']}.txt", row["indicator_code"]) not in found
    ]
    assert missing == []


def test_cue_seeds_name_contract_codes_and_known_units() -> None:
    codes = {row["code"] for row in seed_rows("indicators")}
    units = {row["unit"] for row in seed_rows("units")}
    for row in seed_rows("prose_figure_cues"):
        assert row["indicator_code"] in codes
        assert set(row["units"].split("|")) <= units, row
    for row in seed_rows("prose_negation_cues"):
        assert row["indicator_code"] in codes


def test_prose_conflicts_reach_the_quality_issues_with_their_severity(prose_warehouse: Path) -> None:
    rows = query(
        prose_warehouse,
        f"""
        select rule, severity, indicator_codes, expected_value, actual_value
        from ({BY_FILE.format(relation="marts.fct_quality_issues")})
        where file = 'conflicts.txt'
        order by all
        """,
    )
    assert rows == [
        ("prose_value_overruled", "info", "reconsideration_total", Decimal(2), Decimal(0)),
        ("prose_values_ambiguous", "warn", "proactive_total", None, Decimal(4800)),
        ("prose_values_ambiguous", "warn", "proactive_total", None, Decimal(5000)),
        ("table_prose_differ", "warn", "reading_points", Decimal(64), Decimal(60)),
    ]
