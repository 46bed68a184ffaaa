"""Split the table rows whose cells ran together into one run of digits (zfxxgk.digit_runs does the search), for
the reports this build rebuilds (int_reports_affected); int_table_runs_split keeps the splits of every report.

Only rows with row_status 'run' pass through Python, one table of one report at a time, with the table's other
cells as known values for the rules across rows. Each cell's kind (seed run_cell_kinds) and range (seed
indicator_bounds) limit its readings; 上一年项目数量 + 本年增/减 >= 0 (seed indicator_item_changes) holds in each
row. Runs still ambiguous are then narrowed by the same issuer's report of the year before or after
(int_reports_described: one report per issuer_key and report_year), whose 上一年项目数量 is this year's
上一年项目数量 + 本年增/减.
"""

import pyarrow as pa

from zfxxgk.run_search import OUTPUT_COLUMNS, search_runs, splitter_dictionaries

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

# The search's inputs (int_table_run_inputs), by kind, as run_search reads them.
CELLS = """
select report_id, table_kind, row_key, row_status, indicator_code, applicant_type, raw_cell_text, value
from inputs where kind = 'cell'
order by report_id, table_kind, row_key, cell_no
"""
REPORT_VALUES = "select report_id, indicator_code, applicant_type, value from inputs where kind = '{kind}'"
PAIRS = "select earlier_report_id, later_report_id from inputs where kind = 'pair'"


def model(dbt, session):
    # Only the reports this build rebuilds: the changed ones and the issuer's years they can reach, with the year on
    # each side as input (int_reports_affected), so the settlements across years are whole. int_table_runs_split
    # keeps them (dbt-duckdb cannot append from a Python model).
    dbt.config(materialized="table", meta={"rebuild_scope": "affected"})
    inputs = dbt.ref("int_table_run_inputs")
    dictionaries = splitter_dictionaries(
        dbt.ref("indicators").to_arrow_table().to_pylist(),
        dbt.ref("table_layouts").to_arrow_table().to_pylist(),
        dbt.ref("indicator_item_changes").to_arrow_table().to_pylist(),
        dbt.ref("run_cell_kinds").to_arrow_table().to_pylist(),
        dbt.ref("indicator_bounds").to_arrow_table().to_pylist(),
    )
    # The cells, sorted by report and table, read column by column (no dict per cell).
    cells = inputs.query("inputs", CELLS).to_arrow_table()
    cell_rows = zip(*(column.to_pylist() for column in cells.columns), strict=True)
    output = search_runs(
        cell_rows,
        inputs.query("inputs", REPORT_VALUES.format(kind="stated")).fetchall(),
        inputs.query("inputs", REPORT_VALUES.format(kind="linked")).fetchall(),
        inputs.query("inputs", PAIRS).fetchall(),
        dictionaries,
    )
    assert tuple(SCHEMA.names) == OUTPUT_COLUMNS
    return pa.table(output, schema=SCHEMA)
