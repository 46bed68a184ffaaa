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
    dictionaries = splitter_dictionaries(
        dbt.ref("indicators").to_arrow_table().to_pylist(),
        dbt.ref("table_layouts").to_arrow_table().to_pylist(),
        dbt.ref("indicator_item_changes").to_arrow_table().to_pylist(),
        dbt.ref("run_cell_kinds").to_arrow_table().to_pylist(),
        dbt.ref("indicator_bounds").to_arrow_table().to_pylist(),
    )
    stated_totals = dbt.ref("int_table_stated_totals").select("report_id, indicator_code, applicant_type, value")
    # The cells, sorted by report and table, read column by column (no dict per cell).
    cell_rows = zip(*(cells.column(name).to_pylist() for name in CELL_COLUMNS), strict=True)
    # Across years: the printed cells of the linked codes join the reports' known values.
    link_codes = dbt.ref("indicator_item_changes").query("links", LINK_CODES).set_alias("link_codes")
    linked_cells = (
        cells_relation.set_alias("cells")
        .join(link_codes, "cells.indicator_code = link_codes.code")
        .filter("cells.occurrence_no = 1 and cells.row_status in ('cells', 'blank_row')")
        .select("cells.report_id, cells.indicator_code, cells.applicant_type, cells.value")
    )
    pairs = dbt.ref("int_reports_described").query("reports", CONSECUTIVE_REPORTS)
    output = search_runs(cell_rows, stated_totals.fetchall(), linked_cells.fetchall(), pairs.fetchall(), dictionaries)
    assert tuple(SCHEMA.names) == OUTPUT_COLUMNS
    return pa.table(output, schema=SCHEMA)
