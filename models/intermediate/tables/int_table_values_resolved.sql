{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    One value per report, indicator code and applicant type from the tables: cells as printed, runs split by
    int_table_runs_split (only a one-digit-per-cell or unique split gives values, unique_across_years when the
    issuer's report of the year before or after settled it), and format_2021's
    （六）其他处理 as the sum of its three sub-rows. A cell printed twice with two different values gives no value
    (int_table_extraction_issues records it); where a reader handed the table over as cells, its cells settle it. A blank, /, - or 无 cell is a row with a NULL value and its meaning.
-#}
with cells as (
    select * from {{ ref('int_table_cells_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

splits as (
    select * from {{ ref('int_table_runs_split') }}
    where {{ in_reports_to_build('affected') }}
),

indicators as (
    select code, unit from {{ ref('indicators') }}
),

{% set cell_columns = [
    'report_id', 'stream_no', 'table_kind', 'template', 'row_key', 'occurrence_no', 'row_status', 'row_label',
    'cell_no', 'column_label', 'indicator_code', 'applicant_type', 'raw_cell_text', 'note', 'printed_unit',
    'line_no', 'cell_start_offset', 'cell_end_offset', 'start_line', 'end_line', 'start_offset', 'end_offset',
    'evidence'
] -%}

printed_cells as (
    select
        {% for column in cell_columns %}cells.{{ column }},
        {% endfor -%}
        cells.cell_meaning,
        cells.value,
        case
            when cells.row_status = 'blank_row' then 'blank_row'
            -- an OCR'd cell whose misread digits were read back (1O5 -> 105)
            when cells.read_back_text is not null then 'cell_read_back'
            else 'cell'
        end as extraction_method
    from cells
    where cells.row_status in ('cells', 'blank_row')
),

split_cells as (
    select
        {% for column in cell_columns %}cells.{{ column }},
        {% endfor -%}
        'reported' as cell_meaning,
        cast(splits.value as {{ indicator_value_type() }}) as value,
        'split_' || splits.split_status as extraction_method
    from cells
    inner join splits
        on cells.report_id = splits.report_id
        and cells.table_kind = splits.table_kind
        and cells.row_key = splits.row_key
        and cells.cell_no = splits.cell_no
    where cells.row_status = 'run'
        and cells.occurrence_no = 1
        and splits.split_status in ('one_digit_per_cell', 'unique_split', 'unique_across_years')
),

table_cells as (
    select * from printed_cells
    union all
    select * from split_cells
),

-- A table a reader kept as cells (stream_no > 0) is the table as printed: its cells settle the value, and the same
-- table read from the text lines (stream 0) only lends its line and offsets when it says the same.
reader_keys as (
    select distinct report_id, indicator_code, applicant_type
    from table_cells
    where stream_no > 0
),

deciding_cells as (
    select table_cells.*
    from table_cells
    left join reader_keys
        on table_cells.report_id = reader_keys.report_id
        and table_cells.indicator_code = reader_keys.indicator_code
        and table_cells.applicant_type = reader_keys.applicant_type
    where table_cells.stream_no > 0 or reader_keys.report_id is null
),

-- The same cell printed more than once (a table repeated in an appendix) must say the same; the first is kept.
agreeing_keys as (
    select
        report_id,
        indicator_code,
        applicant_type,
        min(coalesce(cast(value as string), cell_meaning)) as agreed
    from deciding_cells
    group by report_id, indicator_code, applicant_type
    having count(distinct coalesce(cast(value as string), cell_meaning)) = 1
),

first_occurrences as (
    select table_cells.report_id, table_cells.indicator_code, table_cells.applicant_type,
        min(table_cells.occurrence_no) as occurrence_no
    from table_cells
    inner join agreeing_keys
        on table_cells.report_id = agreeing_keys.report_id
        and table_cells.indicator_code = agreeing_keys.indicator_code
        and table_cells.applicant_type = agreeing_keys.applicant_type
        and coalesce(cast(table_cells.value as string), table_cells.cell_meaning) = agreeing_keys.agreed
    group by table_cells.report_id, table_cells.indicator_code, table_cells.applicant_type
),

first_cells as (
    select table_cells.*
    from table_cells
    inner join first_occurrences
        on table_cells.report_id = first_occurrences.report_id
        and table_cells.indicator_code = first_occurrences.indicator_code
        and table_cells.applicant_type = first_occurrences.applicant_type
        and table_cells.occurrence_no = first_occurrences.occurrence_no
),

-- format_2021 prints （六）其他处理 as three sub-rows; outcome_other is their sum when all three are numbers.
other_outcome_sums as (
    select
        report_id,
        'outcome_other' as indicator_code,
        applicant_type,
        sum(value) as value,
        min(template) as template,
        min(start_line) as start_line,
        max(end_line) as end_line,
        min(start_offset) as start_offset,
        max(end_offset) as end_offset,
        {{ string_agg_ordered('evidence', 'start_offset', "' / '") }} as evidence
    from first_cells
    where indicator_code in ('outcome_other_no_correction', 'outcome_other_unpaid_fee', 'outcome_other_misc')
    group by report_id, applicant_type
    having count(value) = 3
),

derived_cells as (
    select
        other_outcome_sums.report_id,
        other_outcome_sums.indicator_code,
        other_outcome_sums.applicant_type,
        other_outcome_sums.value,
        'reported' as cell_meaning,
        cast(null as string) as note,
        'applications' as table_kind,
        other_outcome_sums.template,
        '（六）其他处理' as row_label,
        layouts.column_label,
        cast(null as string) as raw_cell_text,
        cast(null as string) as printed_unit,
        'derived_sum' as extraction_method,
        other_outcome_sums.start_line as line_no,
        other_outcome_sums.start_line,
        other_outcome_sums.end_line,
        other_outcome_sums.start_offset,
        other_outcome_sums.end_offset,
        'sum of （六）其他处理 1-3: ' || other_outcome_sums.evidence as evidence
    from other_outcome_sums
    inner join {{ ref('table_layouts') }} as layouts
        on layouts.table_kind = 'applications'
        and layouts.row_key = 'outcome_other'
        and layouts.applicant_type = other_outcome_sums.applicant_type
    where not exists (
        select 1 from first_cells
        where first_cells.report_id = other_outcome_sums.report_id
            and first_cells.indicator_code = 'outcome_other'
            and first_cells.applicant_type = other_outcome_sums.applicant_type
            and first_cells.value is not null
    )
),

resolved as (
    select
        report_id, indicator_code, applicant_type, value, cell_meaning, note, table_kind, template, row_label,
        column_label, raw_cell_text, printed_unit, extraction_method, line_no, start_line, end_line,
        cell_start_offset as start_offset, cell_end_offset as end_offset, evidence
    from first_cells
    -- a blank （六）其他处理 heading row gives way to the sum of its sub-rows
    where not exists (
        select 1 from derived_cells
        where derived_cells.report_id = first_cells.report_id
            and derived_cells.indicator_code = first_cells.indicator_code
            and derived_cells.applicant_type = first_cells.applicant_type
    )
    union all
    select * from derived_cells
),

final as (
    select
        resolved.report_id,
        resolved.indicator_code,
        resolved.applicant_type,
        cast(
            case
                when resolved.printed_unit = '元' and indicators.unit = '万元' then resolved.value * 0.0001
                else resolved.value
            end as {{ indicator_value_type() }}
        ) as value,
        indicators.unit,
        false as is_approximate,
        'table' as source_kind,
        resolved.cell_meaning,
        case
            when resolved.printed_unit = '元' and indicators.unit = '万元'
                then concat_ws('; ', resolved.note, 'converted from 元')
            -- the cell as printed is raw_cell_text (1O5)
            when resolved.extraction_method = 'cell_read_back'
                then concat_ws('; ', resolved.note, 'OCR misread digits read back from ' || resolved.raw_cell_text)
            else resolved.note
        end as note,
        resolved.table_kind,
        resolved.template,
        resolved.row_label,
        resolved.column_label,
        resolved.raw_cell_text,
        resolved.printed_unit,
        resolved.extraction_method,
        resolved.line_no,
        resolved.start_offset,
        resolved.end_offset,
        resolved.evidence
    from resolved
    inner join indicators on resolved.indicator_code = indicators.code
)

select * from final
