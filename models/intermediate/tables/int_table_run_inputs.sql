{#-
    What the digit-run search (int_table_runs_searched) reads, for the reports this build rebuilds
    (int_reports_affected), as one relation of tagged rows: the cells of the tables that hold a run (kind 'cell'),
    the totals the prose states ('stated'), the printed cells of the codes that link an issuer's years ('linked')
    and the pairs of consecutive reports of an issuer ('pair': exactly one report of the issuer in each of the two
    years). partition_key is the report's issuer_key (its report_id when it has none): every row the search of one
    issuer needs has the same key, so Spark hands them to one script (zfxxgk.spark_runs).
-#}
{{ config(materialized='view', meta={'rebuild_scope': 'affected'}) }}

with affected_cells as (
    select cells.*
    from {{ ref('int_table_cells_labelled') }} as cells
    where cells.occurrence_no = 1 and {{ in_reports_to_build('affected', column='cells.report_id') }}
),

reports as (
    select
        report_id,
        issuer_key,
        report_year,
        coalesce(issuer_key, report_id) as partition_key
    from {{ ref('int_reports_described') }}
),

run_tables as (
    select distinct
        report_id,
        table_kind
    from affected_cells
    where row_status = 'run'
),

link_codes as (
    select items_code as indicator_code from {{ ref('indicator_item_changes') }}
    union
    select change_code as indicator_code from {{ ref('indicator_item_changes') }}
),

table_cells as (
    select
        'cell' as kind,
        affected_cells.report_id,
        affected_cells.table_kind,
        affected_cells.row_key,
        affected_cells.row_status,
        affected_cells.cell_no,
        affected_cells.indicator_code,
        affected_cells.applicant_type,
        affected_cells.raw_cell_text,
        affected_cells.value
    from affected_cells
    inner join run_tables
        on affected_cells.report_id = run_tables.report_id and affected_cells.table_kind = run_tables.table_kind
),

linked_cells as (
    select
        'linked' as kind,
        affected_cells.report_id,
        affected_cells.indicator_code,
        affected_cells.applicant_type,
        affected_cells.value
    from affected_cells
    inner join link_codes on affected_cells.indicator_code = link_codes.indicator_code
    where affected_cells.row_status in ('cells', 'blank_row')
),

stated_totals as (
    select
        'stated' as kind,
        totals.report_id,
        totals.indicator_code,
        totals.applicant_type,
        totals.value
    from {{ ref('int_table_stated_totals') }} as totals
    where {{ in_reports_to_build('affected', column='totals.report_id') }}
),

yearly_reports as (
    select
        report_id,
        issuer_key,
        report_year,
        partition_key,
        count(*) over (partition by issuer_key, report_year) as reports_that_year
    from reports
    where issuer_key is not null and report_year is not null
),

consecutive_reports as (
    select
        'pair' as kind,
        earlier.partition_key,
        earlier.report_id as earlier_report_id,
        later.report_id as later_report_id
    from yearly_reports as earlier
    inner join yearly_reports as later
        on earlier.issuer_key = later.issuer_key and later.report_year = earlier.report_year + 1
    where earlier.reports_that_year = 1 and later.reports_that_year = 1
),

report_values as (
    select * from linked_cells
    union all
    select * from stated_totals
),

report_rows as (
    select
        kind,
        report_id,
        table_kind,
        row_key,
        row_status,
        cell_no,
        indicator_code,
        applicant_type,
        raw_cell_text,
        value
    from table_cells
    union all
    select
        kind,
        report_id,
        cast(null as string) as table_kind,
        cast(null as string) as row_key,
        cast(null as string) as row_status,
        cast(null as integer) as cell_no,
        indicator_code,
        applicant_type,
        cast(null as string) as raw_cell_text,
        value
    from report_values
),

final as (
    select
        report_rows.kind,
        reports.partition_key,
        report_rows.report_id,
        report_rows.table_kind,
        report_rows.row_key,
        report_rows.row_status,
        report_rows.cell_no,
        report_rows.indicator_code,
        report_rows.applicant_type,
        report_rows.raw_cell_text,
        report_rows.value,
        cast(null as string) as earlier_report_id,
        cast(null as string) as later_report_id
    from report_rows
    inner join reports on report_rows.report_id = reports.report_id
    union all
    select
        kind,
        partition_key,
        cast(null as string) as report_id,
        cast(null as string) as table_kind,
        cast(null as string) as row_key,
        cast(null as string) as row_status,
        cast(null as integer) as cell_no,
        cast(null as string) as indicator_code,
        cast(null as string) as applicant_type,
        cast(null as string) as raw_cell_text,
        cast(null as decimal(38, 10)) as value,
        earlier_report_id,
        later_report_id
    from consecutive_reports
)

select * from final
