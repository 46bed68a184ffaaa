{#-
    int_table_runs_searched on Spark (dbt_project.yml enables this file on Spark and the Python model elsewhere):
    dbt-spark runs Python models only on Databricks, so the rows of int_table_run_inputs stream through the same
    search as a script of Spark's transform (zfxxgk.spark_runs over zfxxgk.run_search), the rows of one issuer to
    one script (distribute by partition_key). The seeds' rows reach it as hex-encoded JSON in its argument.
-#}
{{ config(materialized='table', meta={'rebuild_scope': 'affected'}) }}
-- depends_on: {{ ref('indicators') }}
-- depends_on: {{ ref('table_layouts') }}
-- depends_on: {{ ref('indicator_item_changes') }}
-- depends_on: {{ ref('run_cell_kinds') }}
-- depends_on: {{ ref('indicator_bounds') }}

{%- set seed_columns = {
    'indicators': ['code', 'parent_code', 'rule'],
    'table_layouts': ['table_kind', 'indicator_code', 'applicant_type', 'cell_no'],
    'indicator_item_changes': ['items_code', 'change_code'],
    'run_cell_kinds': ['indicator_code', 'cell_kind'],
    'indicator_bounds': ['code', 'min_value', 'max_value'],
} -%}
{%- set seeds = {} -%}
{%- for seed_name, columns in seed_columns.items() -%}
    {%- set rows = [] -%}
    {%- for row in seed_rows(seed_name, columns) -%}
        {%- set record = {} -%}
        {%- for column in columns -%}
            {%- do record.update({column: none if row[loop.index0] is none else row[loop.index0] | string}) -%}
        {%- endfor -%}
        {%- do rows.append(record) -%}
    {%- endfor -%}
    {%- do seeds.update({seed_name: rows}) -%}
{%- endfor -%}
{%- set seeds_hex = tojson(seeds).encode('utf-8').hex() %}

with inputs as (
    select * from {{ ref('int_table_run_inputs') }}
),

input_lines as (
    select
        partition_key,
        to_json(named_struct(
            'kind', kind,
            'report_id', report_id,
            'table_kind', table_kind,
            'row_key', row_key,
            'row_status', row_status,
            'cell_no', cell_no,
            'indicator_code', indicator_code,
            'applicant_type', applicant_type,
            'raw_cell_text', raw_cell_text,
            'value', cast(value as string),
            'earlier_report_id', earlier_report_id,
            'later_report_id', later_report_id
        )) as line
    from inputs
    distribute by partition_key
),

output_lines as (
    select transform (line)
        using '{{ env_var("ZFXXGK_SPARK_PYTHON", "python3") }} -m zfxxgk.spark_runs {{ seeds_hex }}'
        as (output_line string)
    from input_lines
),

searched as (
    select from_json(
        output_line,
        'report_id string, table_kind string, row_key string, cell_no bigint, indicator_code string,
        applicant_type string, value string, split_status string, candidate_count bigint, candidates string,
        broken_rules string, settled_by_report_id string'
    ) as cell
    from output_lines
),

final as (
    select
        cell.report_id,
        cell.table_kind,
        cell.row_key,
        cell.cell_no,
        cell.indicator_code,
        cell.applicant_type,
        cast(cell.value as decimal(38, 10)) as value,
        cell.split_status,
        cell.candidate_count,
        cell.candidates,
        cell.broken_rules,
        cell.settled_by_report_id
    from searched
)

select * from final
