"""The search that splits runs of digits whose table cells ran together (zfxxgk.digit_runs)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from zfxxgk import spark_runs
from zfxxgk.digit_runs import (
    AtLeast,
    BalanceRule,
    CellSpec,
    ReportSplits,
    RunRow,
    StatedValue,
    SumRule,
    YearLink,
    cell_specs,
    contract_rules,
    enumerate_splits,
    item_change_rules,
    settle_across_years,
    split_table,
)
from zfxxgk.run_search import OUTPUT_COLUMNS, SplitterDictionaries, search_runs

APPLICANTS = ("natural_person", "business", "research_institution", "nonprofit", "legal_service", "other_org", "total")


def row_cells(code: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, kind) for kind in APPLICANTS)


def applicant_rule(code: str) -> SumRule:
    return SumRule((code, "total"), tuple((code, kind) for kind in APPLICANTS[:-1]))


def test_splits_have_no_leading_zeros_and_fill_every_cell() -> None:
    assert enumerate_splits("7512306", 3, {}) == [
        (7, 5, 12306),
        (7, 51, 2306),
        (7, 512, 306),
        (7, 51230, 6),
        (75, 1, 2306),
        (75, 12, 306),
        (75, 1230, 6),
        (751, 2, 306),
        (751, 230, 6),
        (7512, 30, 6),
        (75123, 0, 6),
    ]


def test_a_total_cell_must_spell_the_sum_of_its_parts() -> None:
    assert enumerate_splits("513001055", 7, {6: (0, 1, 2, 3, 4, 5)}) == [(51, 3, 0, 0, 1, 0, 55)]


def test_too_many_splits_give_up() -> None:
    assert enumerate_splits("1" * 40, 20, {}) is None


def test_the_issue_example_has_one_split() -> None:
    run = RunRow("applications_received", "513001055", row_cells("applications_received"))
    [outcome] = split_table([run], {}, [applicant_rule("applications_received")])
    assert (outcome.status, outcome.values) == ("unique_split", (51, 3, 0, 0, 1, 0, 55))


def test_one_digit_per_cell_is_taken_and_its_broken_row_rule_recorded() -> None:
    run = RunRow("outcome_disclosed", "1000002", row_cells("outcome_disclosed"))
    [outcome] = split_table([run], {}, [applicant_rule("outcome_disclosed")])
    assert outcome.status == "one_digit_per_cell"
    assert outcome.values == (1, 0, 0, 0, 0, 0, 2)
    assert outcome.broken_rules == [
        "outcome_disclosed[total] = outcome_disclosed[natural_person] + outcome_disclosed[business] + "
        "outcome_disclosed[research_institution] + outcome_disclosed[nonprofit] + "
        "outcome_disclosed[legal_service] + outcome_disclosed[other_org]"
    ]


def test_the_broken_rules_of_a_row_keep_the_order_of_the_rules_and_stay_in_the_row() -> None:
    # 1000002: natural_person 1, total 2; a rule reaching outside the row (applications_received, printed 5) is
    # checked with the rows of its table, never listed as the row's own
    run = RunRow("outcome_disclosed", "1000002", row_cells("outcome_disclosed"))
    rules = [
        SumRule(("outcome_disclosed", "total"), (("outcome_disclosed", "natural_person"),)),
        BalanceRule((("outcome_disclosed", "total"),), (("applications_received", "total"),)),
        applicant_rule("outcome_disclosed"),
        BalanceRule((("outcome_disclosed", "business"),), (("outcome_disclosed", "natural_person"),)),
        BalanceRule((("outcome_disclosed", "other_org"),), (("outcome_disclosed", "legal_service"),)),
    ]
    [outcome] = split_table([run], {("applications_received", "total"): 5}, rules)
    assert outcome.status == "one_digit_per_cell"
    assert outcome.broken_rules == [
        "outcome_disclosed[total] = outcome_disclosed[natural_person]",
        "outcome_disclosed[total] = outcome_disclosed[natural_person] + outcome_disclosed[business] + "
        "outcome_disclosed[research_institution] + outcome_disclosed[nonprofit] + "
        "outcome_disclosed[legal_service] + outcome_disclosed[other_org]",
        "outcome_disclosed[business] = outcome_disclosed[natural_person]",
    ]


def test_a_rule_across_rows_settles_a_run_its_own_row_cannot() -> None:
    # 一 + 二 = 七 + 四 in every column: with 二 = 2,0,0,0,0,0,2 and 四 = 0, 七 = 13 settles 一 = 11 (not 1,10).
    received = RunRow("received", "110000011", row_cells("applications_received"))
    known = {
        ("applications_carried_over_in", kind): value
        for kind, value in zip(APPLICANTS, (2, 0, 0, 0, 0, 0, 2), strict=True)
    }
    known |= {("applications_carried_over_out", kind): 0 for kind in APPLICANTS}
    known |= {("outcome_total", kind): value for kind, value in zip(APPLICANTS, (13, 0, 0, 0, 0, 0, 13), strict=True)}
    rules = [applicant_rule("applications_received")] + [
        BalanceRule(
            (("applications_received", kind), ("applications_carried_over_in", kind)),
            (("outcome_total", kind), ("applications_carried_over_out", kind)),
        )
        for kind in APPLICANTS
    ]
    [outcome] = split_table([received], known, rules)
    assert (outcome.status, outcome.values) == ("unique_split", (11, 0, 0, 0, 0, 0, 11))


def test_several_surviving_splits_give_no_value() -> None:
    received = RunRow("received", "110000011", row_cells("applications_received"))
    [outcome] = split_table([received], {}, [applicant_rule("applications_received")])
    assert outcome.status == "ambiguous"
    assert outcome.values is None
    assert outcome.candidates == [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]


def test_no_split_keeping_every_rule_gives_no_value() -> None:
    received = RunRow("received", "110000011", row_cells("applications_received"))
    rules = [applicant_rule("applications_received"), StatedValue(("applications_received", "total"), 12)]
    [outcome] = split_table([received], {}, rules)
    assert (outcome.status, outcome.values) == ("no_valid_split", None)


def test_a_total_the_prose_states_settles_a_row_without_rules() -> None:
    codes = ("normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force")
    cells = tuple((code, "total") for code in codes)
    run = RunRow("normative_docs", "124136", cells)
    [ambiguous] = split_table([run], {}, [])
    assert (ambiguous.status, len(ambiguous.candidates)) == ("ambiguous", 10)
    stated = [StatedValue(cells[0], 12), StatedValue(cells[2], 136)]
    [outcome] = split_table([run], {}, stated)
    assert (outcome.status, outcome.values) == ("unique_split", (12, 4, 136))


def test_a_parent_no_cell_gives_is_the_sum_of_its_runs() -> None:
    # format_2021 prints no （六）其他处理 row: its value is its three sub-rows' sum, and rules on it still decide.
    sub_rows = ("outcome_other_no_correction", "outcome_other_unpaid_fee", "outcome_other_misc")
    rules = [
        SumRule(("outcome_other", "total"), tuple((code, "total") for code in sub_rows)),
        StatedValue(("outcome_other", "total"), 11),
    ]
    runs = [RunRow("run", "110", (("outcome_disclosed", "total"), ("outcome_other_misc", "total")))]
    known = {("outcome_other_no_correction", "total"): 1, ("outcome_other_unpaid_fee", "total"): 0}
    [outcome] = split_table(runs, known, rules)
    assert (outcome.status, outcome.values) == ("unique_split", (1, 10))


def test_contract_rules_come_from_the_indicator_seed() -> None:
    indicators = [
        {"code": "reconsideration_total", "parent_code": "", "rule": ""},
        {"code": "reconsideration_upheld", "parent_code": "reconsideration_total", "rule": "sum"},
        {"code": "reconsideration_pending", "parent_code": "reconsideration_total", "rule": "sum"},
        {"code": "proactive_via_website", "parent_code": "proactive_total", "rule": "le"},
    ]
    assert contract_rules(indicators, {}) == [
        SumRule(
            ("reconsideration_total", "total"),
            (("reconsideration_upheld", "total"), ("reconsideration_pending", "total")),
        )
    ]


# format_2019 table 二: 上一年项目数量, 本年增/减, 处理决定数量 (seed indicator_bounds gives their ranges).
ITEMS = CellSpec("count", 0, 1_000_000)
CHANGE = CellSpec("change", -1_000_000, 1_000_000)
DECISIONS = CellSpec("count", 0, 100_000_000)
PENALTY = tuple((code, "total") for code in ("penalty_items_last_year", "penalty_items_change", "penalty_decisions"))
PENALTY_LINK = YearLink(PENALTY[0], PENALTY[1])
SPECS = cell_specs(
    {"penalty_items_change": "change", "procurement_amount": "amount"},
    {
        "penalty_items_last_year": (0, 1_000_000),
        "penalty_items_change": (-1_000_000, 1_000_000),
        "penalty_decisions": (0, 100_000_000),
        "procurement_projects": (0, 1_000_000),
        "procurement_amount": (0, 100_000_000),
    },
)


def test_a_sign_starts_a_change_cell_and_only_a_change_cell() -> None:
    assert enumerate_splits("1120-61873", 3, {}, [ITEMS, CHANGE, DECISIONS]) == [
        (1120, -6, 1873),
        (1120, -61, 873),
        (1120, -618, 73),
        (1120, -6187, 3),
    ]
    assert enumerate_splits("1120-61873", 3, {}) == []
    # a change cell without a sign is 0 or more, and never -0
    assert enumerate_splits("64012", 3, {}, [ITEMS, CHANGE, DECISIONS]) == [
        (6, 40, 12),
        (6, 401, 2),
        (64, 0, 12),
        (640, 1, 2),
    ]
    assert enumerate_splits("64-012", 3, {}, [ITEMS, CHANGE, DECISIONS]) == []


def test_a_decimal_point_lies_inside_an_amount_and_ranges_cap_the_digits() -> None:
    projects = CellSpec("count", 0, 1_000_000)
    amount = CellSpec("amount", 0, 100_000_000)
    # 4121523 projects would exceed the range of procurement_projects
    assert enumerate_splits("4121523.68", 2, {}, [projects, amount]) == [
        (4, Decimal("121523.68")),
        (41, Decimal("21523.68")),
        (412, Decimal("1523.68")),
        (4121, Decimal("523.68")),
        (41215, Decimal("23.68")),
        (412152, Decimal("3.68")),
    ]
    assert enumerate_splits("412.5", 2, {}, [amount, projects]) == []
    # applications are at most 1,000,000 (seed indicator_bounds): 1 + 2345678 and 1234567 + 8 are out of range
    applications = CellSpec("count", 0, 1_000_000)
    assert enumerate_splits("12345678", 2, {}, [applications, applications]) == [
        (12, 345678),
        (123, 45678),
        (1234, 5678),
        (12345, 678),
        (123456, 78),
    ]


def test_a_space_inside_a_run_is_a_cell_boundary() -> None:
    assert enumerate_splits("6401305", 3, {}, [ITEMS, CHANGE, DECISIONS]) == [
        (6, 40, 1305),
        (6, 401, 305),
        (6, 40130, 5),
        (64, 0, 1305),
        (640, 1, 305),
        (640, 130, 5),
        (6401, 30, 5),
        (64013, 0, 5),
    ]
    assert enumerate_splits("64 01305", 3, {}, [ITEMS, CHANGE, DECISIONS]) == [(64, 0, 1305)]
    # 110000011 is 1,10,... or 11,0,... (test_several_surviving_splits_give_no_value); the space settles it
    received = RunRow("received", "11 0000011", row_cells("applications_received"))
    [outcome] = split_table([received], {}, [applicant_rule("applications_received")])
    assert (outcome.status, outcome.values) == ("unique_split", (11, 0, 0, 0, 0, 0, 11))


def test_items_plus_change_is_never_negative() -> None:
    run = RunRow("penalty", "3-296", PENALTY)
    [alone] = split_table([run], {}, [], SPECS)
    assert (alone.status, alone.candidates) == ("ambiguous", [(3, -29, 6), (3, -2, 96)])
    [outcome] = split_table([run], {}, item_change_rules([PENALTY_LINK]), SPECS)
    assert (outcome.status, outcome.values) == ("unique_split", (3, -2, 96))
    assert item_change_rules([PENALTY_LINK]) == [AtLeast(PENALTY[:2])]


def test_rows_no_rule_links_are_searched_apart() -> None:
    # eleven rows of table 二 with 10 splits each would be 10**11 joint solutions; each row on its own has 10.
    runs = [
        RunRow(f"row{index}", "454545", tuple((f"code{index}_{cell}", "total") for cell in range(3)))
        for index in range(11)
    ]
    outcomes = split_table(runs, {}, [])
    assert {(outcome.status, len(outcome.candidates)) for outcome in outcomes} == {("ambiguous", 10)}


def year_report(run: str) -> tuple[RunRow, ReportSplits]:
    row = RunRow("penalty", run, PENALTY)
    [outcome] = split_table([row], {}, item_change_rules([PENALTY_LINK]), SPECS)
    return row, ReportSplits([row], [outcome], {})


def test_the_next_year_settles_a_run_only_it_can_settle() -> None:
    _, earlier = year_report("1120-61873")
    _, later = year_report("111421950")
    assert earlier.outcomes[0].status == "ambiguous"
    settle_across_years(earlier, later, [PENALTY_LINK])
    assert (earlier.outcomes[0].status, earlier.outcomes[0].values) == ("unique_across_years", (1120, -6, 1873))
    # the later year only keeps the splits that open with 1120 - 6 (or 1120 - 61, 1120 - 618): four are left
    assert later.outcomes[0].status == "ambiguous"
    assert later.outcomes[0].candidates == [(1114, 2, 1950), (1114, 21, 950), (1114, 219, 50), (1114, 2195, 0)]


def test_the_year_before_settles_a_run_and_printed_cells_count() -> None:
    _, later = year_report("10797")  # 1,0,797 / 10,7,97 / 10,79,7 / 107,9,7
    earlier = ReportSplits([], [], {PENALTY[0]: 3, PENALTY[1]: -2})
    assert later.outcomes[0].status == "ambiguous"
    settle_across_years(earlier, later, [PENALTY_LINK])
    assert (later.outcomes[0].status, later.outcomes[0].values) == ("unique_across_years", (1, 0, 797))


def test_reports_that_disagree_settle_nothing() -> None:
    _, earlier = year_report("1120-61873")
    later = ReportSplits([], [], {PENALTY[0]: 1000})
    settle_across_years(earlier, later, [PENALTY_LINK])
    assert earlier.outcomes[0].status == "ambiguous"
    assert len(earlier.outcomes[0].candidates) == 3
    # a blank cell the next year does not constrain either
    _, earlier = year_report("1120-61873")
    settle_across_years(earlier, ReportSplits([], [], {PENALTY[0]: None}), [PENALTY_LINK])
    assert len(earlier.outcomes[0].candidates) == 3


def test_search_runs_splits_the_runs_of_plain_rows_and_settles_them_across_years() -> None:
    """zfxxgk.run_search, what int_table_runs_searched runs on either engine: report l's run 10797 has four splits;
    the printed cells of report e, the year before (3 items, -2 changed), settle it."""
    dictionaries = SplitterDictionaries(item_change_rules([PENALTY_LINK]), SPECS, [PENALTY_LINK])
    cells = [("l", "disclosure", "penalty", "run", code, kind, "10797", None) for code, kind in PENALTY]
    linked = [("e", PENALTY[0][0], "total", Decimal("3")), ("e", PENALTY[1][0], "total", Decimal("-2"))]
    output = search_runs(cells, [], linked, [("e", "l")], dictionaries)
    assert list(zip(*(output[name] for name in OUTPUT_COLUMNS), strict=True)) == [
        ("l", "disclosure", "penalty", 1, *PENALTY[0], Decimal(1), "unique_across_years", 1, "1,0,797", None, "e"),
        ("l", "disclosure", "penalty", 2, *PENALTY[1], Decimal(0), "unique_across_years", 1, "1,0,797", None, "e"),
        ("l", "disclosure", "penalty", 3, *PENALTY[2], Decimal(797), "unique_across_years", 1, "1,0,797", None, "e"),
    ]
    # without the year before, the run stays ambiguous
    alone = search_runs(cells, [], [], [], dictionaries)
    assert set(alone["split_status"]) == {"ambiguous"}
    assert alone["candidates"][0] == "1,0,797; 10,7,97; 10,79,7; 107,9,7"


def test_the_spark_script_reads_json_rows_and_the_hex_of_the_seeds_and_writes_the_split_cells() -> None:
    """zfxxgk.spark_runs, what Spark's transform runs: the same search from JSON lines, rows in any order."""
    seeds = {
        "indicators": [],
        "table_layouts": [],
        "indicator_item_changes": [{"items_code": PENALTY[0][0], "change_code": PENALTY[1][0]}],
        "run_cell_kinds": [{"indicator_code": PENALTY[1][0], "cell_kind": "change"}],
        "indicator_bounds": [
            {"code": PENALTY[0][0], "min_value": 0, "max_value": 1_000_000},
            {"code": PENALTY[1][0], "min_value": -1_000_000, "max_value": 1_000_000},
            {"code": PENALTY[2][0], "min_value": 0, "max_value": 100_000_000},
        ],
    }
    cell = {"kind": "cell", "report_id": "l", "table_kind": "disclosure", "row_key": "penalty", "row_status": "run"}
    rows = [
        {"kind": "pair", "earlier_report_id": "e", "later_report_id": "l"},
        *(
            {**cell, "cell_no": cell_no, "indicator_code": code, "applicant_type": "total", "raw_cell_text": "10797"}
            for cell_no, (code, _) in reversed(list(enumerate(PENALTY, start=1)))
        ),
        {"kind": "linked", "report_id": "e", "indicator_code": PENALTY[1][0], "applicant_type": "total", "value": -2},
        {"kind": "linked", "report_id": "e", "indicator_code": PENALTY[0][0], "applicant_type": "total", "value": 3},
    ]
    stdin = io.StringIO("".join(json.dumps(row) + "\n" for row in rows))
    stdout = io.StringIO()
    assert spark_runs.main([json.dumps(seeds).encode("utf-8").hex()], stdin, stdout) == 0
    written = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [(row["cell_no"], row["indicator_code"], row["value"], row["split_status"]) for row in written] == [
        (1, PENALTY[0][0], "1", "unique_across_years"),
        (2, PENALTY[1][0], "0", "unique_across_years"),
        (3, PENALTY[2][0], "797", "unique_across_years"),
    ]
    assert {row["settled_by_report_id"] for row in written} == {"e"}
    assert list(written[0]) == list(OUTPUT_COLUMNS)
