"""Split the table rows whose cells ran together into one run of digits (zfxxgk.digit_runs does the search), for
the reports this build rebuilds (int_reports_affected); int_table_runs_split keeps the splits of every report.

Only rows with row_status 'run' pass through Python, one table of one report at a time, with the table's other
cells as known values for the rules across rows. Each cell's kind (seed run_cell_kinds) and range (seed
indicator_bounds) limit its readings; 上一年项目数量 + 本年增/减 >= 0 (seed indicator_item_changes) holds in each
row. Runs still ambiguous are then narrowed by the same issuer's report of the year before or after
(int_reports_described: one report per issuer_key and report_year), whose 上一年项目数量 is this year's
上一年项目数量 + 本年增/减.
"""

from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

import pyarrow as pa

from zfxxgk.digit_runs import (
    ReportSplits,
    RunRow,
    StatedValue,
    YearLink,
    cell_specs,
    contract_rules,
    item_change_rules,
    settle_across_years,
    split_table,
)

SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("table_kind", pa.string()),
        ("row_key", pa.string()),
        ("cell_no", pa.int64()),
        ("indicator_code", pa.string()),
        ("applicant_type", pa.string()),
        ("value", pa.decimal128(38, 10)),
        ("split_status", pa.string()),
        ("candidate_count", pa.int64()),
        ("candidates", pa.string()),
        ("broken_rules", pa.string()),
        ("settled_by_report_id", pa.string()),
    ]
)

TABLE_CELLS = """
with run_tables as (
    select distinct report_id, table_kind from cells where row_status = 'run' and occurrence_no = 1
)
select cells.report_id, cells.table_kind, cells.row_key, cells.row_status, cells.cell_no,
    cells.indicator_code, cells.applicant_type, cells.raw_cell_text, cells.value
from cells
inner join run_tables on cells.report_id = run_tables.report_id and cells.table_kind = run_tables.table_kind
where cells.occurrence_no = 1
order by cells.report_id, cells.table_kind, cells.row_key, cells.cell_no
"""

CELL_COLUMNS = (
    "report_id",
    "table_kind",
    "row_key",
    "row_status",
    "indicator_code",
    "applicant_type",
    "raw_cell_text",
    "value",
)

# Consecutive reports of one issuer: exactly one report of the issuer in each of the two years.
CONSECUTIVE_REPORTS = """
with yearly as (
    select report_id, issuer_key, report_year,
        count(*) over (partition by issuer_key, report_year) as reports_that_year
    from reports
    where issuer_key is not null and report_year is not null
)
select earlier.report_id as earlier_report_id, later.report_id as later_report_id
from yearly as earlier
inner join yearly as later
    on earlier.issuer_key = later.issuer_key and later.report_year = earlier.report_year + 1
where earlier.reports_that_year = 1 and later.reports_that_year = 1
order by earlier.report_id, later.report_id
"""

# The codes the links between years read (their printed cells join the reports' known values).
LINK_CODES = "select items_code as code from links union select change_code as code from links"


def as_number(value):
    """A cell's number as the splitter compares it: an int when whole, else a Decimal."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def model(dbt, session):
    # Only the reports this build rebuilds: the changed ones and the issuer's years they can reach, with the year on
    # each side as input (int_reports_affected), so the settlements across years are whole. int_table_runs_split
    # keeps them (dbt-duckdb cannot append from a Python model).
    dbt.config(materialized="table", meta={"rebuild_scope": "affected"})
    affected = dbt.ref("int_reports_affected").set_alias("affected")
    cells_relation = (
        dbt.ref("int_table_cells_labelled")
        .set_alias("cells")
        .join(affected, "cells.report_id = affected.report_id", how="semi")
    )
    cells = cells_relation.query("cells", TABLE_CELLS).to_arrow_table()
    indicators = dbt.ref("indicators").to_arrow_table().to_pylist()
    layouts = dbt.ref("table_layouts").to_arrow_table().to_pylist()
    links_relation = dbt.ref("indicator_item_changes")
    links_rows = links_relation.to_arrow_table().to_pylist()
    links = [YearLink((row["items_code"], "total"), (row["change_code"], "total")) for row in links_rows]
    kinds = {row["indicator_code"]: row["cell_kind"] for row in dbt.ref("run_cell_kinds").to_arrow_table().to_pylist()}
    bounds = {
        row["code"]: (as_number(row["min_value"]), as_number(row["max_value"]))
        for row in dbt.ref("indicator_bounds").to_arrow_table().to_pylist()
    }
    specs = cell_specs(kinds, bounds)
    applicant_columns = defaultdict(list)
    for layout in sorted(layouts, key=lambda row: row["cell_no"]):
        if layout["table_kind"] != "applications":
            continue
        kinds_of_code = applicant_columns[layout["indicator_code"]]
        if layout["applicant_type"] not in kinds_of_code:
            kinds_of_code.append(layout["applicant_type"])
    rules = [*contract_rules(indicators, applicant_columns), *item_change_rules(links)]
    stated = defaultdict(list)
    for total in dbt.ref("int_table_stated_totals").to_arrow_table().to_pylist():
        key = (total["indicator_code"], total["applicant_type"])
        stated[total["report_id"]].append(StatedValue(key, int(total["value"])))

    # The cells, sorted by report and table, read column by column (no dict per cell).
    cell_rows = zip(*(cells.column(name).to_pylist() for name in CELL_COLUMNS), strict=True)
    splits = []  # (report_id, table_kind, run, outcome)
    by_report = {}
    for (report_id, table_kind), table_cells in groupby(cell_rows, key=itemgetter(0, 1)):
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
        outcomes = split_table(runs, known, [*rules, *stated[report_id]], specs)
        report = by_report.setdefault(report_id, ReportSplits([], [], {}, report_id))
        report.runs.extend(runs)
        report.outcomes.extend(outcomes)
        report.known.update(known)
        splits.extend((report_id, table_kind, run, outcome) for run, outcome in zip(runs, outcomes, strict=True))

    # Across years: the printed cells of the linked codes join the reports' known values.
    link_codes = links_relation.query("links", LINK_CODES).set_alias("link_codes")
    linked_cells = (
        cells_relation.set_alias("cells")
        .join(link_codes, "cells.indicator_code = link_codes.code")
        .filter("cells.occurrence_no = 1 and cells.row_status in ('cells', 'blank_row')")
        .select("cells.report_id, cells.indicator_code, cells.applicant_type, cells.value")
    )
    for cell in linked_cells.to_arrow_table().to_pylist():
        key = (cell["indicator_code"], cell["applicant_type"])
        report = by_report.setdefault(cell["report_id"], ReportSplits([], [], {}, cell["report_id"]))
        report.known.setdefault(key, as_number(cell["value"]))
    pairs = dbt.ref("int_reports_described").query("reports", CONSECUTIVE_REPORTS).to_arrow_table().to_pylist()
    for pair in pairs:
        earlier, later = by_report.get(pair["earlier_report_id"]), by_report.get(pair["later_report_id"])
        if earlier is not None and later is not None:
            settle_across_years(earlier, later, links)

    output = {name: [] for name in SCHEMA.names}
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
    return pa.table(output, schema=SCHEMA)
