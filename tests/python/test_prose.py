"""Figures stated in prose: numerals, cues, traps, negations, conflicts with tables, and the seed acceptance rows."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SharedWarehouse, query

PROSE_FIXTURES = ROOT / "tests" / "fixtures" / "prose"
ACCEPTANCE = ROOT / "tests" / "acceptance"
SEEDS = ROOT / "seeds"
TITLE = "某县人民政府2014年政府信息公开工作年度报告\n"
TITLE_2021 = "某县人民政府2021年政府信息公开工作年度报告\n"

BY_FILE = """
select regexp_extract(reports.source_path, '[^/]+$') as file, result.*
from {relation} as result
join staging.stg_reports as reports using (report_id)
"""


def seed_rows(name: str) -> list[dict[str, str]]:
    (path,) = SEEDS.glob(f"*/{name}.csv")  # seeds/<kind>/<name>.csv
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def example_sentence(example: str) -> str:
    """The sentence of a seed example, without the remark in brackets after it."""
    return example.split(" (")[0].split(" / ")[0]


@pytest.fixture(scope="module")
def prose_warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds the five samples, the prose fixtures, and one report per cue example of the
    seeds (shared_corpus.prose_examples: a 2014 report, or a 2021 one for a code of the 2019/2021 templates only)."""
    return shared_warehouse.db_path


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


# The openings of real reports (../shared/corpus/real, see SOURCES.tsv), their prose labelled by hand
REAL_FIXTURES = sorted(path.stem for path in PROSE_FIXTURES.glob("real_*.txt"))


@pytest.mark.parametrize(
    "name",
    [
        "cues",
        "traps",
        "negations",
        "negations_combined",
        "conflicts",
        "pdf_wrapped",
        "issue17_capacity",
        "issue17_subcounts",
        "issue17_answered_2024",  # 答复3050件 in a 2024 report: outcome_total
        # 规范性文件20件 after 其中 of the proactive headline; 制作政策解读15个
        "issue17_headline_parts",
        # 规范性文件 after 其中 of no proactive headline, or in a sentence of its own; 解读了3个文件: nothing
        "issue17_headline_part_traps",
        # corpus/real 131 as published, in traditional characters (converted at ingest): 759 through 等渠道主动公开
        # is the total, 规范性文件83件 after its 其中 a part of it; the quiz's 15万人次 gives nothing
        "traditional_jiangxi_2019",
        *REAL_FIXTURES,
    ],
)
def test_prose_fixtures_give_exactly_the_expected_values(prose_warehouse: Path, name: str) -> None:
    assert values_of(prose_warehouse, f"{name}.txt") == expected_values(name)


def test_the_real_prose_fixtures_are_the_sixteen_labelled_openings() -> None:
    assert len(REAL_FIXTURES) == 16
    assert all((PROSE_FIXTURES / f"{name}.expected.csv").is_file() for name in REAL_FIXTURES)


def test_each_statement_of_issue_17_gives_its_value_on_its_own_line(prose_warehouse: Path) -> None:
    """Fees denied in many words give 0; staff counts before their noun, and after it as parts that add up to the
    staff total of their sentence (其中专职1名，兼职2名); 没有…全职人员 gives 0;
    其中主动公开 is the proactive part of all information, 主动公开12件规范性文件 no total; 办理…申请 is a weak 办结;
    a mayor's mailbox and motions are no applications."""
    rows = query(
        prose_warehouse,
        f"""
        select line_no, indicator_code, value, extraction_method, specificity, is_part
        from ({BY_FILE.format(relation="intermediate.int_prose_value_candidates")})
        where file = 'issue17_statements.txt'
        order by start_offset
        """,
    )
    assert rows == [
        (2, "application_fees_collected", Decimal(0), "prose_negation", 2, False),
        (3, "application_fees_collected", Decimal(0), "prose_negation", 2, False),
        (4, "application_fees_collected", Decimal(0), "prose_negation", 2, False),
        (5, "application_fees_collected", Decimal(0), "prose_negation", 2, False),
        (6, "application_fees_collected", Decimal(0), "prose_negation", 2, False),
        (7, "staff_full_time", Decimal(1), "prose_figure", 4, False),
        (8, "staff_full_time", Decimal(0), "prose_negation", 2, False),
        (9, "staff_part_time", Decimal(2), "prose_figure", 4, False),
        (10, "staff_total", Decimal(3), "prose_figure", 3, False),
        (11, "proactive_total", Decimal(2000), "prose_figure", 3, False),
        (11, "proactive_total", Decimal(1800), "prose_figure", 4, True),
        (12, "applications_completed", Decimal(26), "prose_figure", 2, False),
        (16, "staff_total", Decimal(3), "prose_figure", 3, False),
        (16, "staff_full_time", Decimal(1), "prose_figure", 4, True),
        (16, "staff_part_time", Decimal(2), "prose_figure", 4, True),
    ]
    assert values_of(prose_warehouse, "issue17_statements.txt") == {
        "application_fees_collected": (Decimal(0), False, "prose"),
        "staff_full_time": (Decimal(1), False, "prose"),
        "staff_part_time": (Decimal(2), False, "prose"),
        "staff_total": (Decimal(3), False, "prose"),
        "proactive_total": (Decimal(1800), False, "prose"),
        "applications_completed": (Decimal(26), False, "prose"),
    }


def test_figures_after_qizhong_are_parts_of_the_figure_before_them(prose_warehouse: Path) -> None:
    """其中 between two figures of a sentence makes the later ones parts; 。其中 goes on the sentence before; a new
    sentence starts afresh."""
    rows = query(
        prose_warehouse,
        f"""
        select line_no, figure_text, sentence_no, is_part
        from ({BY_FILE.format(relation="intermediate.int_prose_figures_extracted")})
        where file = 'issue17_subcounts.txt'
        order by start_offset
        """,
    )
    assert rows == [
        (3, "3650条", 0, False),
        (3, "420条", 0, True),
        (3, "3100条", 0, True),
        (5, "36件", 0, False),
        (5, "30件", 0, True),
        (5, "1件", 1, False),
        (5, "2件", 1, False),
    ]


def test_a_part_that_loses_to_its_headline_is_recorded(prose_warehouse: Path) -> None:
    rows = query(
        prose_warehouse,
        f"""
        select file, conflict_kind, indicator_code, kept_value, other_value, detail
        from ({BY_FILE.format(relation="intermediate.int_prose_conflicts_detected")})
        where file like 'issue17_%' or file like 'real_%'
        order by all
        """,
    )
    assert rows == [
        (
            "issue17_statements.txt",
            "prose_value_overruled",
            "proactive_total",
            Decimal(1800),
            Decimal(2000),
            "A less specific sentence gives proactive_total 2000; the value kept is 1800.",
        ),
        (
            "issue17_statements.txt",
            "prose_value_overruled",
            "staff_full_time",
            Decimal(1),
            Decimal(0),
            "A less specific sentence gives staff_full_time 0; the value kept is 1.",
        ),
        (
            "issue17_subcounts.txt",
            "prose_value_overruled",
            "proactive_total",
            Decimal(3650),
            Decimal(420),
            "A part of another figure (其中…) gives proactive_total 420; the value kept is 3650.",
        ),
    ]


def test_names_in_quotes_and_cumulative_stocks_give_no_value(prose_warehouse: Path) -> None:
    """广泛宣传解读"创业富民30条" names a policy; 到目前累计主动公开政府信息100条 is a stock, not the year's count."""
    rows = query(
        prose_warehouse,
        f"""
        select file, figure_text
        from ({BY_FILE.format(relation="intermediate.int_prose_figures_extracted")})
        where file in ('real_taizhou_2017.txt', 'real_nanxun_2014.txt') and unit = '条'
        order by all
        """,
    )
    assert rows == [("real_nanxun_2014.txt", "100条")]
    assert values_of(prose_warehouse, "real_taizhou_2017.txt") == {}
    assert "proactive_total" not in values_of(prose_warehouse, "real_nanxun_2014.txt")


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
