"""The search of the runs of digits of many reports, over plain rows: what the dbt model int_table_runs_searched runs.

The model gathers its inputs (the cells of the tables that hold a run, the totals the prose states, the printed
cells that link an issuer's years, the pairs of consecutive reports, the dictionaries of the seeds) and hands them
here as tuples; `search_runs` splits every run (zfxxgk.digit_runs) and returns one row per cell of a run. Nothing here
knows the engine: on DuckDB the dbt Python model calls it, on Spark a script fed by `transform` (zfxxgk.spark_runs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from zfxxgk.digit_runs import (
    CellSpec,
    ReportSplits,
    Rule,
    RunRow,
    StatedValue,
    YearLink,
    cell_specs,
    contract_rules,
    item_change_rules,
    settle_across_years,
    split_table,
)

OUTPUT_COLUMNS = (
    "report_id",
    "table_kind",
    "row_key",
    "cell_no",
    "indicator_code",
    "applicant_type",
    "value",
    "split_status",
    "candidate_count",
    "candidates",
    "broken_rules",
    "settled_by_report_id",
)
"""The columns of int_table_runs_searched, in order."""

CellRow = tuple[str, str, str, str, str, str, str | None, Any]
"""report_id, table_kind, row_key, row_status, indicator_code, applicant_type, raw_cell_text, value: the cells of a
table that holds a run (printed cells first-occurrence only), sorted by report, table, row_key and cell_no."""


@dataclass(frozen=True)
class SplitterDictionaries:
    """What the seeds tell the search: the rules of the contract and of the items carried over, each code's cell
    kind and range, and the links between an issuer's years."""

    rules: list[Rule]
    specs: dict[str, CellSpec]
    links: list[YearLink]


def as_number(value: Any) -> int | Decimal | None:
    """A cell's number as the splitter compares it: an int when whole, else a Decimal."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def _row_key(row: tuple[str, str, str, Any]) -> tuple[str, str, str, bool, Any]:
    """Sorts (report_id, indicator_code, applicant_type, value) rows, a null value last."""
    report_id, indicator_code, applicant_type, value = row
    return report_id, indicator_code, applicant_type, value is None, value or 0


def splitter_dictionaries(
    indicators: Iterable[Mapping[str, Any]],
    layouts: Iterable[Mapping[str, Any]],
    item_changes: Iterable[Mapping[str, Any]],
    cell_kinds: Iterable[Mapping[str, Any]],
    bounds: Iterable[Mapping[str, Any]],
) -> SplitterDictionaries:
    """The dictionaries from the rows of the seeds indicators, table_layouts, indicator_item_changes, run_cell_kinds
    and indicator_bounds."""
    links = [YearLink((row["items_code"], "total"), (row["change_code"], "total")) for row in item_changes]
    kinds = {row["indicator_code"]: row["cell_kind"] for row in cell_kinds}
    ranges = {row["code"]: (as_number(row["min_value"]), as_number(row["max_value"])) for row in bounds}
    applicant_columns: dict[str, list[str]] = defaultdict(list)
    for layout in sorted(layouts, key=lambda row: row["cell_no"]):
        if layout["table_kind"] != "applications":
            continue
        kinds_of_code = applicant_columns[layout["indicator_code"]]
        if layout["applicant_type"] not in kinds_of_code:
            kinds_of_code.append(layout["applicant_type"])
    rules = [*contract_rules(indicators, applicant_columns), *item_change_rules(links)]
    return SplitterDictionaries(rules, cell_specs(kinds, ranges), links)


def search_runs(
    cells: Iterable[CellRow],
    stated_totals: Iterable[tuple[str, str, str, Any]],
    linked_cells: Iterable[tuple[str, str, str, Any]],
    consecutive_reports: Iterable[tuple[str, str]],
    dictionaries: SplitterDictionaries,
) -> dict[str, list[Any]]:
    """Split the runs of `cells` (CellRow), one table of one report at a time, with the table's other cells as
    known values and the totals the prose states (report_id, indicator_code, applicant_type, value) as rules; then
    settle the runs still ambiguous with the same issuer's report of the year before or after
    (consecutive_reports: earlier and later report_id), whose linked printed cells (as stated_totals) join the
    known values. Returns the output's columns (OUTPUT_COLUMNS), one value per cell of a run."""
    # in one order whatever order the engine gave them: the rules' order shows in broken_rules, and of two printed
    # values of one linked cell the first counts
    stated = defaultdict(list)
    for report_id, indicator_code, applicant_type, value in sorted(stated_totals, key=_row_key):
        stated[report_id].append(StatedValue((indicator_code, applicant_type), int(value)))

    splits = []  # (report_id, table_kind, run, outcome)
    by_report: dict[str, ReportSplits] = {}
    for (report_id, table_kind), table_cells in groupby(cells, key=itemgetter(0, 1)):
        known = {}
        run_cells = defaultdict(list)
        for _, _, row_key, row_status, indicator_code, applicant_type, raw_cell_text, value in table_cells:
            if row_status == "run":
                run_cells[row_key].append((indicator_code, applicant_type, raw_cell_text))
            else:
                known[(indicator_code, applicant_type)] = as_number(value)
        runs = [
            RunRow(row_key, row[0][2], tuple((code, applicant_type) for code, applicant_type, _ in row))
            for row_key, row in run_cells.items()
        ]
        outcomes = split_table(runs, known, [*dictionaries.rules, *stated[report_id]], dictionaries.specs)
        report = by_report.setdefault(report_id, ReportSplits([], [], {}, report_id))
        report.runs.extend(runs)
        report.outcomes.extend(outcomes)
        report.known.update(known)
        splits.extend((report_id, table_kind, run, outcome) for run, outcome in zip(runs, outcomes, strict=True))

    # Across years: the printed cells of the linked codes join the reports' known values.
    for report_id, indicator_code, applicant_type, value in sorted(linked_cells, key=_row_key):
        report = by_report.setdefault(report_id, ReportSplits([], [], {}, report_id))
        report.known.setdefault((indicator_code, applicant_type), as_number(value))
    for earlier_id, later_id in sorted(consecutive_reports):
        earlier, later = by_report.get(earlier_id), by_report.get(later_id)
        if earlier is not None and later is not None:
            settle_across_years(earlier, later, dictionaries.links)

    output: dict[str, list[Any]] = {name: [] for name in OUTPUT_COLUMNS}
    for report_id, table_kind, run, outcome in splits:
        cell_count = len(run.cells)
        candidates = "; ".join(",".join(map(str, candidate)) for candidate in outcome.candidates[:10])
        values = [None] * cell_count if outcome.values is None else [Decimal(value) for value in outcome.values]
        output["report_id"].extend([report_id] * cell_count)
        output["table_kind"].extend([table_kind] * cell_count)
        output["row_key"].extend([run.row_id] * cell_count)
        output["cell_no"].extend(range(1, cell_count + 1))
        output["indicator_code"].extend(key[0] for key in run.cells)
        output["applicant_type"].extend(key[1] for key in run.cells)
        output["value"].extend(values)
        output["split_status"].extend([outcome.status] * cell_count)
        output["candidate_count"].extend([len(outcome.candidates)] * cell_count)
        output["candidates"].extend([candidates] * cell_count)
        output["broken_rules"].extend(["; ".join(outcome.broken_rules) or None] * cell_count)
        output["settled_by_report_id"].extend([outcome.settled_by] * cell_count)
    return output
