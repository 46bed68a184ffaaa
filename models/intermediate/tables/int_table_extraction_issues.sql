{#-
    What the table extraction could not settle, one row per table row (or cell) concerned: rows whose cell count
    fits no layout, runs of digits with several splits or none that keep every rule, runs with one digit per
    cell whose own arithmetic is broken, and cells printed twice with different values. The quality mart reads it.
-#}
with table_rows as (
    select * from {{ ref('int_table_rows_matched') }}
),

cells as (
    select * from {{ ref('int_table_cells_labelled') }}
),

splits as (
    select * from {{ ref('int_table_runs_split') }}
),

split_rows as (
    select
        report_id, table_kind, row_key,
        min(split_status) as split_status,
        min(candidate_count) as candidate_count,
        min(candidates) as candidates,
        min(broken_rules) as broken_rules,
        case
            when count(distinct indicator_code) = 1 then min(indicator_code)
            else {{ string_agg_ordered('indicator_code', 'cell_no', "','") }}
        end as indicator_codes
    from splits
    group by report_id, table_kind, row_key
),

count_mismatches as (
    select
        report_id,
        'cell_count_mismatch' as issue_kind,
        table_kind,
        row_key,
        cast(null as varchar) as indicator_codes,
        'expected ' || expected_cells || ' cells, found ' || value_count as detail,
        evidence,
        start_line,
        start_offset
    from table_rows
    where row_status = 'cell_count_mismatch'
),

split_issues as (
    select
        split_rows.report_id,
        case
            when split_rows.split_status = 'one_digit_per_cell' then 'source_arithmetic_broken'
            else 'run_' || split_rows.split_status
        end as issue_kind,
        split_rows.table_kind,
        split_rows.row_key,
        split_rows.indicator_codes,
        case
            when split_rows.split_status = 'one_digit_per_cell' then 'rules broken: ' || split_rows.broken_rules
            when split_rows.split_status = 'ambiguous'
                then split_rows.candidate_count || ' splits keep every rule: ' || split_rows.candidates
            when split_rows.split_status = 'no_valid_split' then 'no split keeps every rule'
            else 'more splits than the search keeps'
        end as detail,
        table_rows.evidence,
        table_rows.start_line,
        table_rows.start_offset
    from split_rows
    inner join table_rows
        on split_rows.report_id = table_rows.report_id
        and split_rows.table_kind = table_rows.table_kind
        and split_rows.row_key = table_rows.row_key
        and table_rows.occurrence_no = 1
    where split_rows.split_status not in ('one_digit_per_cell', 'unique_split')
        or split_rows.broken_rules is not null
),

printed_twice as (
    select
        report_id,
        'conflicting_table_cells' as issue_kind,
        min(table_kind) as table_kind,
        min(row_key) as row_key,
        indicator_code || '[' || applicant_type || ']' as indicator_codes,
        'printed ' || count(*) || ' times with different values: '
        || {{ string_agg_ordered("coalesce(raw_cell_text, '')", 'occurrence_no', "', '") }} as detail,
        min(evidence) as evidence,
        min(start_line) as start_line,
        min(start_offset) as start_offset
    from cells
    where row_status in ('cells', 'blank_row')
    group by report_id, indicator_code, applicant_type
    having count(distinct coalesce(cast(value as varchar), cell_meaning)) > 1
),

final as (
    select * from count_mismatches
    union all
    select * from split_issues
    union all
    select * from printed_twice
)

select * from final
