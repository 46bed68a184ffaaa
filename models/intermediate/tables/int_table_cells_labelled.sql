{#-
    One row per cell of each matched table row, labelled from the table_layouts seed: the indicator
    code and applicant type the cell holds, its column heading as the template prints it, the raw cell
    text and its meaning, the number it reports, the note it carries, its line and offsets. Rows whose
    values ran together (row_status 'run') have one row per cell with the run as raw text and no value
    yet: int_table_runs_split splits them. A local legacy row under 本年度 | 累计 also gives its cumulative cell,
    under the code's `_cumulative` code of seed indicators (formats legacy_cumulative), never as the year's figure.
-#}
{%- set number = "[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" -%}

with table_rows as (
    select * from {{ ref('int_table_rows_matched') }}
    where {{ in_reports_to_build('changed') }}
        and (row_status in ('cells', 'blank_row', 'run'))
),

elements as (
    select * from {{ ref('int_table_elements_classified') }}
    where {{ in_reports_to_build('changed') }}
        and (element_kind in ('value', 'blank'))
),

layouts as (
    select * from {{ ref('table_layouts') }}
),

indicators as (
    select code, formats from {{ ref('indicators') }}
),

-- Each row is read in the year's column; a local legacy row under 本年度 | 累计 also in its cumulative column, under
-- the code's cumulative code where seed indicators has one (no such code: no cell).
column_reads as (
    select 'year' as column_read
    union all
    select 'cumulative' as column_read
),

cumulative_codes as (
    select code from indicators where formats = 'legacy_cumulative'
),

row_cells as (
    select
        table_rows.*,
        layouts.cell_no,
        coalesce(cumulative_codes.code, layouts.indicator_code) as indicator_code,
        layouts.applicant_type,
        -- the heading of the column read (本年度, 累计) when a legacy table prints several value columns
        case
            when column_reads.column_read = 'cumulative' then table_rows.cumulative_heading
            else coalesce(table_rows.column_heading, layouts.column_label)
        end as column_label,
        case
            when column_reads.column_read = 'cumulative' then table_rows.cumulative_cells_skipped
            else table_rows.leading_cells_skipped
        end as cells_skipped
    from table_rows
    inner join layouts
        on table_rows.table_kind = layouts.table_kind
        and table_rows.row_key = layouts.row_key
        and (layouts.template = table_rows.template or layouts.template = 'modern')
    cross join column_reads
    left join cumulative_codes
        on column_reads.column_read = 'cumulative'
        and cumulative_codes.code = layouts.indicator_code || '_cumulative'
    where column_reads.column_read = 'year'
        or (
            table_rows.template = 'legacy'
            and table_rows.row_status in ('cells', 'blank_row')
            and table_rows.cumulative_cells_skipped is not null
            and cumulative_codes.code is not null
        )
),

numbered_elements as (
    select
        *,
        row_number() over (partition by report_id, stream_no, group_no order by element_no) as cell_no
    from elements
),

final as (
    select
        row_cells.report_id,
        row_cells.stream_no,
        row_cells.table_kind,
        row_cells.template,
        row_cells.row_key,
        row_cells.occurrence_no,
        row_cells.row_status,
        row_cells.row_label,
        row_cells.cell_no,
        row_cells.column_label,
        row_cells.indicator_code,
        row_cells.applicant_type,
        case
            when row_cells.row_status = 'run' then row_cells.run_text
            else coalesce(numbered_elements.element_text, '')
        end as raw_cell_text,
        case
            when row_cells.row_status = 'run' then 'run'
            when row_cells.row_status = 'blank_row' then 'blank'
            else numbered_elements.cell_meaning
        end as cell_meaning,
        case
            when row_cells.row_status = 'cells' and numbered_elements.element_kind = 'value'
                then try_cast(
                    replace(regexp_extract(
                        -- a cell whose misread digits were read back (1O5) gives the number read back
                        coalesce(numbered_elements.read_back_text, numbered_elements.element_text),
                        {{ string_literal('^(' ~ number ~ ')') }},
                        1
                    ), ',', '')
                    as {{ indicator_value_type() }}
                )
        end as value,
        case
            when row_cells.row_status = 'cells'
                then nullif(regexp_extract(numbered_elements.element_text, '[（(]([^（()）]*)[)）]\s*$', 1), '')
        end as note,
        case when row_cells.row_status = 'cells' then numbered_elements.read_back_text end as read_back_text,
        -- a money unit printed in the cell itself (152790元) wins over the row's unit cell
        coalesce(
            nullif(regexp_extract(numbered_elements.element_text, {{ string_literal('^' ~ number ~ '\s*(元|万元)$') }}, 1), ''),
            row_cells.printed_unit
        ) as printed_unit,
        case
            when row_cells.stream_no = 0 then coalesce(numbered_elements.row_no, row_cells.start_line)
        end as line_no,
        coalesce(numbered_elements.element_start, row_cells.start_offset) as cell_start_offset,
        coalesce(numbered_elements.element_end, row_cells.end_offset) as cell_end_offset,
        row_cells.start_line,
        row_cells.end_line,
        row_cells.start_offset,
        row_cells.end_offset,
        row_cells.evidence
    from row_cells
    left join numbered_elements
        on row_cells.report_id = numbered_elements.report_id
        and row_cells.stream_no = numbered_elements.stream_no
        and row_cells.group_no = numbered_elements.group_no
        and row_cells.cell_no + row_cells.cells_skipped = numbered_elements.cell_no
        and row_cells.row_status = 'cells'
)

select * from final
