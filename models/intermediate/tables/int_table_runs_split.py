"""Split the table rows whose cells ran together into one run of digits (extract.digit_runs does the search).

Only rows with row_status 'run' pass through Python, one table of one report at a time, with the table's other
cells as known values for the rules across rows.
"""

from collections import defaultdict

import pyarrow as pa

from extract.digit_runs import RunRow, StatedValue, contract_rules, split_table

SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("table_kind", pa.string()),
        ("row_key", pa.string()),
        ("cell_no", pa.int64()),
        ("indicator_code", pa.string()),
        ("applicant_type", pa.string()),
        ("value", pa.int64()),
        ("split_status", pa.string()),
        ("candidate_count", pa.int64()),
        ("candidates", pa.string()),
        ("broken_rules", pa.string()),
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


def model(dbt, session):
    dbt.config(materialized="table")
    cells = dbt.ref("int_table_cells_labelled").query("cells", TABLE_CELLS).to_arrow_table().to_pylist()
    indicators = dbt.ref("indicators").to_arrow_table().to_pylist()
    layouts = dbt.ref("table_layouts").to_arrow_table().to_pylist()
    applicant_columns = defaultdict(list)
    for layout in sorted(layouts, key=lambda row: row["cell_no"]):
        if layout["table_kind"] != "applications":
            continue
        kinds = applicant_columns[layout["indicator_code"]]
        if layout["applicant_type"] not in kinds:
            kinds.append(layout["applicant_type"])
    rules = contract_rules(indicators, applicant_columns)
    stated = defaultdict(list)
    for total in dbt.ref("int_table_stated_totals").to_arrow_table().to_pylist():
        key = (total["indicator_code"], total["applicant_type"])
        stated[total["report_id"]].append(StatedValue(key, int(total["value"])))

    tables = defaultdict(list)
    for cell in cells:
        tables[(cell["report_id"], cell["table_kind"])].append(cell)
    output = {name: [] for name in SCHEMA.names}
    for (report_id, table_kind), table_cells in tables.items():
        known = {}
        run_cells = defaultdict(list)
        for cell in table_cells:
            key = (cell["indicator_code"], cell["applicant_type"])
            if cell["row_status"] == "run":
                run_cells[cell["row_key"]].append(cell)
            else:
                known[key] = None if cell["value"] is None else int(cell["value"])
        runs = [
            RunRow(row_key, row[0]["raw_cell_text"], tuple((c["indicator_code"], c["applicant_type"]) for c in row))
            for row_key, row in run_cells.items()
        ]
        for run, outcome in zip(runs, split_table(runs, known, [*rules, *stated[report_id]]), strict=True):
            for cell_no, key in enumerate(run.cells, start=1):
                output["report_id"].append(report_id)
                output["table_kind"].append(table_kind)
                output["row_key"].append(run.row_id)
                output["cell_no"].append(cell_no)
                output["indicator_code"].append(key[0])
                output["applicant_type"].append(key[1])
                output["value"].append(None if outcome.values is None else outcome.values[cell_no - 1])
                output["split_status"].append(outcome.status)
                output["candidate_count"].append(len(outcome.candidates))
                output["candidates"].append("; ".join(",".join(map(str, c)) for c in outcome.candidates[:10]))
                output["broken_rules"].append("; ".join(outcome.broken_rules) or None)
    return pa.table(output, schema=SCHEMA)
