{#-
    One row per cell of each matched table row, labelled from the table_layouts seed: the indicator
    code and applicant type the cell holds, its column heading as the template prints it, the raw cell
    text and its meaning, the number it reports, the note it carries, its line and offsets. Rows whose
    values ran together (row_status 'run') have one row per cell with the run as raw text and no value
    yet: int_table_runs_split splits them.
-#}
{%- set number = "-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" -%}

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

row_cells as (
    select
        table_rows.*,
        layouts.cell_no,
        layouts.indicator_code,
        layouts.applicant_type,
        -- the heading of the column read (本年度) when a legacy table prints several value columns
        coalesce(table_rows.column_heading, layouts.column_label) as column_label
    from table_rows
    inner join layouts
        on table_rows.table_kind = layouts.table_kind
        and table_rows.row_key = layouts.row_key
        and (layouts.template = table_rows.template or layouts.template = 'modern')
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
                    replace(regexp_extract(numbered_elements.element_text, {{ string_literal('^(' ~ number ~ ')') }}, 1), ',', '')
                    as {{ indicator_value_type() }}
                )
        end as value,
        case
            when row_cells.row_status = 'cells'
                then nullif(regexp_extract(numbered_elements.element_text, '[（(]([^（()）]*)[)）]\s*$', 1), '')
        end as note,
        row_cells.printed_unit,
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
        and row_cells.cell_no + row_cells.leading_cells_skipped = numbered_elements.cell_no
        and row_cells.row_status = 'cells'
)

select * from final
