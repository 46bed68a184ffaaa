"""The search that splits runs of digits whose table cells ran together (extract.digit_runs)."""

from __future__ import annotations

from extract.digit_runs import (
    BalanceRule,
    RunRow,
    StatedValue,
    SumRule,
    contract_rules,
    enumerate_splits,
    split_table,
)

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
