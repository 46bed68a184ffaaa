{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    What the table extraction could not settle, one row per table row (or cell) concerned: rows whose cell count
    fits no layout, runs of digits with several splits or none that keep every rule, and cells printed twice with
    different values (a reader's cells against the same table read from the text lines
    are no conflict: the reader's cells settle it, and the difference is recorded). The quality mart reads it;
    the arithmetic of the values kept is checked by the rules of models/intermediate/quality.
-#}
with table_rows as (
    select * from {{ ref('int_table_rows_matched') }}
    where {{ in_reports_to_build('affected') }}
),

cells as (
    select * from {{ ref('int_table_cells_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

splits as (
    select * from {{ ref('int_table_runs_split') }}
    where {{ in_reports_to_build('affected') }}
),

-- read by no query (sqlfluff ST03): left for its author to drop or use (issue 19)
resolved_values as (  -- noqa: ST03
    select * from {{ ref('int_table_values_resolved') }}
    where {{ in_reports_to_build('affected') }}
),

reader_keys as (
    select distinct report_id, indicator_code, applicant_type
    from cells
    where stream_no > 0 and row_status in ('cells', 'blank_row')
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
        cast(null as string) as indicator_codes,
        cast(null as string) as applicant_type,
        'expected ' || expected_cells || ' cells, found ' || value_count as detail,
        cast(null as {{ indicator_value_type() }}) as expected_value,
        cast(null as {{ indicator_value_type() }}) as actual_value,
        evidence,
        start_line,
        start_offset
    from table_rows
    where row_status = 'cell_count_mismatch'
),

split_issues as (
    select
        split_rows.report_id,
        'run_' || split_rows.split_status as issue_kind,
        split_rows.table_kind,
        split_rows.row_key,
        split_rows.indicator_codes,
        cast(null as string) as applicant_type,
        case
            when split_rows.split_status = 'ambiguous'
                then split_rows.candidate_count || ' splits keep every rule: ' || split_rows.candidates
            when split_rows.split_status = 'no_valid_split' then 'no split keeps every rule'
            else 'more splits than the search keeps'
        end as detail,
        cast(null as {{ indicator_value_type() }}) as expected_value,
        cast(null as {{ indicator_value_type() }}) as actual_value,
        table_rows.evidence,
        table_rows.start_line,
        table_rows.start_offset
    from split_rows
    inner join table_rows
        on split_rows.report_id = table_rows.report_id
        and split_rows.table_kind = table_rows.table_kind
        and split_rows.row_key = table_rows.row_key
        and table_rows.occurrence_no = 1
    where split_rows.split_status not in ('one_digit_per_cell', 'unique_split', 'unique_across_years')
),

printed_twice as (
    select
        report_id,
        'conflicting_table_cells' as issue_kind,
        min(table_kind) as table_kind,
        min(row_key) as row_key,
        indicator_code || '[' || applicant_type || ']' as indicator_codes,
        applicant_type,
        'printed ' || count(*) || ' times with different values: '
        || {{ string_agg_ordered("coalesce(raw_cell_text, '')", 'occurrence_no', "', '") }} as detail,
        cast(null as {{ indicator_value_type() }}) as expected_value,
        cast(null as {{ indicator_value_type() }}) as actual_value,
        min(evidence) as evidence,
        min(start_line) as start_line,
        min(start_offset) as start_offset
    from cells
    where row_status in ('cells', 'blank_row')
        and (
            stream_no > 0
            or not exists (
                select 1 from reader_keys
                where reader_keys.report_id = cells.report_id
                    and reader_keys.indicator_code = cells.indicator_code
                    and reader_keys.applicant_type = cells.applicant_type
            )
        )
    group by report_id, indicator_code, applicant_type
    having count(distinct coalesce(cast(value as string), cell_meaning)) > 1
),

-- A table a reader handed over as cells settles its values; the same table read from the text lines saying
-- otherwise is recorded (the text lost the cell boundaries, or the reader misread a cell).
reader_text_differences as (
    select
        text_cells.report_id,
        'reader_cells_differ_from_text' as issue_kind,
        min(text_cells.table_kind) as table_kind,
        min(text_cells.row_key) as row_key,
        text_cells.indicator_code || '[' || text_cells.applicant_type || ']' as indicator_codes,
        text_cells.applicant_type,
        'the text lines say ' || min(coalesce(text_cells.raw_cell_text, '')) || ', the reader''s cells '
        || min(coalesce(reader_cells.raw_cell_text, '')) as detail,
        min(reader_cells.value) as expected_value,
        min(text_cells.value) as actual_value,
        min(text_cells.evidence) as evidence,
        min(text_cells.start_line) as start_line,
        min(text_cells.start_offset) as start_offset
    from cells as text_cells
    inner join cells as reader_cells
        on text_cells.report_id = reader_cells.report_id
        and text_cells.indicator_code = reader_cells.indicator_code
        and text_cells.applicant_type = reader_cells.applicant_type
        and reader_cells.stream_no > 0
        and reader_cells.row_status in ('cells', 'blank_row')
    where text_cells.stream_no = 0
        and text_cells.row_status in ('cells', 'blank_row')
        and coalesce(cast(text_cells.value as string), text_cells.cell_meaning)
            <> coalesce(cast(reader_cells.value as string), reader_cells.cell_meaning)
    group by text_cells.report_id, text_cells.indicator_code, text_cells.applicant_type
),

final as (
    select * from count_mismatches
    union all
    select * from split_issues
    union all
    select * from printed_twice
    union all
    select * from reader_text_differences
)

select * from final
