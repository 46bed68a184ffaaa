{#-
    Table rows: the matched rows (int_table_row_labels_matched) sized against their layout (seed table_layouts), and
    the blank rows inferred inside their labels (int_table_blank_rows_inferred). Each row gets its status (cells fit
    the layout, maybe after dropping empty padding cells; a run of digits to split; a heading; a blank row; a cell
    count mismatch), the cell under the year's heading of a local legacy table (int_table_value_columns_detected),
    its label as printed (int_table_printed_labels_recovered), its line and offsets, its evidence, and its
    occurrence in the report. The models the table cells are read from read this one.
-#}

with elements as (
    select * from {{ ref('int_table_elements_classified') }}
    where {{ in_reports_to_build('changed') }}
),

report_lines as (
    select report_id, line_no, start_offset, end_offset, line, is_text_line_end from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

tabled_matches as (
    select * from {{ ref('int_table_row_labels_matched') }}
    where {{ in_reports_to_build('changed') }}
),

report_value_columns as (
    select * from {{ ref('int_table_value_columns_detected') }}
    where {{ in_reports_to_build('changed') }}
),

label_offsets as (
    select * from {{ ref('int_table_printed_labels_recovered') }}
    where {{ in_reports_to_build('changed') }}
),

inferred_blank_rows as (
    select * from {{ ref('int_table_blank_rows_inferred') }}
    where {{ in_reports_to_build('changed') }}
),

layouts as (
    select table_kind, template, row_key, count(*) as expected_cells
    from {{ ref('table_layouts') }}
    group by table_kind, template, row_key
),

-- Position of each value or blank cell in its group, to trim the empty cells that are really label padding
-- (a label spanning three columns of an HTML table leaves two empty cells before the values).
valued_elements as (
    select
        report_id,
        stream_no,
        group_no,
        element_no,
        element_text = '' and element_kind = 'blank' as is_empty_cell,
        row_number() over (partition by report_id, stream_no, group_no order by element_no) as cell_position,
        count(*) over (partition by report_id, stream_no, group_no) as cell_total
    from elements
    where element_kind in ('value', 'blank') and group_no > 0
),

group_padding as (
    select
        report_id,
        stream_no,
        group_no,
        coalesce(min(case when not is_empty_cell then cell_position end) - 1, max(cell_total)) as leading_empty_cells,
        coalesce(max(cell_total) - max(case when not is_empty_cell then cell_position end), max(cell_total))
            as trailing_empty_cells,
        count(case when not is_empty_cell then 1 end) as filled_cells,
        min(case when not is_empty_cell then element_no end) as first_filled_element
    from valued_elements
    group by report_id, stream_no, group_no
),

-- The values of a group that may be one run whose cells lost their separators: only values (a sign or a decimal
-- point allowed), nothing between them but spaces (a stray space inside a run, 150 000015), the first glued to the
-- label (行政处罚1120-61873 reads as 1120 and -61873).
run_spans as (
    select
        report_id,
        stream_no,
        group_no,
        count(case when element_kind = 'value' then 1 end) as value_elements,
        count(case when element_kind in ('blank', 'unit') and element_text <> '' then 1 end) as other_cells,
        count(case when element_kind = 'value'
            and not {{ regexp_matches('element_text', "'^[-+]?[0-9]+([.][0-9]+)?$'") }} then 1 end) as odd_values,
        min(case when element_kind = 'value' then element_start end) as span_start,
        max(case when element_kind = 'value' then element_end end) as span_end,
        max(case when element_kind = 'text' then element_end end) as label_end,
        min(case when element_kind = 'value' then row_no end) as span_first_row,
        max(case when element_kind = 'value' then row_no end) as span_last_row
    from elements
    where stream_no = 0 and group_no > 0
    group by report_id, stream_no, group_no
),

-- the text of a run on one line (a run over a line break is none: its LF is no cell character), read from its
-- line, not from the whole text: a substring of a long text per run grows with the square of its size
run_texts as (
    select
        run_spans.report_id,
        run_spans.stream_no,
        run_spans.group_no,
        substr(
            report_lines.line,
            cast(run_spans.span_start - report_lines.start_offset + 1 as integer),
            cast(run_spans.span_end - run_spans.span_start as integer)
        ) as span_text
    from run_spans
    inner join report_lines
        on run_spans.report_id = report_lines.report_id
        and run_spans.span_first_row = report_lines.line_no
    where run_spans.span_first_row = run_spans.span_last_row
        and run_spans.value_elements >= 1
        and run_spans.other_cells = 0
        and run_spans.odd_values = 0
        and (run_spans.value_elements = 1 or run_spans.label_end = run_spans.span_start)
),

sized_matches as (
    select
        tabled_matches.*,
        -- a legacy row under a heading row of several value columns prints one cell per column
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.column_count
        end as value_columns,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.year_position
        end as year_position,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.year_heading
        end as column_heading,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.cumulative_position
        end as cumulative_position,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.cumulative_heading
        end as cumulative_heading,
        coalesce(layouts.expected_cells, 0) as expected_cells,
        group_padding.filled_cells,
        -- too many cells: drop empty padding cells, leading ones first, until the layout's count is left
        case
            when tabled_matches.value_count > layouts.expected_cells
                and group_padding.leading_empty_cells + group_padding.trailing_empty_cells
                >= tabled_matches.value_count - layouts.expected_cells
                then least(group_padding.leading_empty_cells, tabled_matches.value_count - layouts.expected_cells)
        end as padding_skipped,
        -- one filled cell holding a run of digits, perhaps with padding around it
        case
            when group_padding.filled_cells = 1
                and filled_elements.element_kind = 'value'
                and {{ regexp_matches('filled_elements.element_text', "'^\d+$'") }}
                and length(filled_elements.element_text) >= layouts.expected_cells
                then filled_elements.element_text
        end as digits_run_text,
        -- fewer values than cells that together are one run (signs, decimals and stray spaces kept)
        case
            when tabled_matches.value_count < layouts.expected_cells
                and {{ regexp_matches('run_texts.span_text', "'^[-+]?[0-9][-+.0-9 ]*$'") }}
                and length({{ regexp_replace_all('run_texts.span_text', "'[^0-9]'", "''") }}) >= layouts.expected_cells
                then run_texts.span_text
        end as span_run_text
    from tabled_matches
    left join layouts
        on tabled_matches.table_kind = layouts.table_kind
        and tabled_matches.row_key = layouts.row_key
        and (layouts.template = tabled_matches.template or layouts.template = 'modern')
    left join group_padding
        on tabled_matches.report_id = group_padding.report_id
        and tabled_matches.stream_no = group_padding.stream_no
        and tabled_matches.group_no = group_padding.group_no
    left join elements as filled_elements
        on group_padding.report_id = filled_elements.report_id
        and group_padding.stream_no = filled_elements.stream_no
        and group_padding.first_filled_element = filled_elements.element_no
    left join report_value_columns
        on tabled_matches.report_id = report_value_columns.report_id
        and tabled_matches.stream_no = 0
    left join run_texts
        on tabled_matches.report_id = run_texts.report_id
        and tabled_matches.stream_no = run_texts.stream_no
        and tabled_matches.group_no = run_texts.group_no
),

-- A run with a space inside (64 01305) is only taken in a table whose other rows ran together too: elsewhere the
-- space may separate cells of which one was left out.
sized_runs as (
    select
        *,
        coalesce(
            digits_run_text,
            case
                when instr(span_run_text, ' ') = 0 or table_digit_runs > 0 then span_run_text
            end
        ) as run_text
    from (
        select
            *,
            count(
                case when expected_cells > 1 and value_count < expected_cells then digits_run_text end
            ) over (partition by report_id, stream_no, table_kind) as table_digit_runs
        from sized_matches
    ) as counted
),

-- The cells of rows from reader tables, as evidence (text rows quote the report's text instead).
reader_cells as (
    select
        report_id,
        stream_no,
        group_no,
        {{ string_agg_ordered("coalesce(element_text, '')", 'element_no', "' | '") }} as cells_text
    from elements
    where stream_no > 0 and element_kind <> 'text'
    group by report_id, stream_no, group_no
),

-- The evidence of a text row: the report's text from its label to its last cell, read from the lines it spans (a
-- substring of a long text per row grows with the square of its size): each line's part of the span, and the LF
-- after it when that falls inside the span.
text_row_spans as (
    select
        sized_matches.report_id,
        sized_matches.stream_no,
        sized_matches.group_no,
        coalesce(sized_matches.wrap_start_offset, label_offsets.label_start, sized_matches.start_offset) as span_start,
        sized_matches.end_offset as span_end,
        least(
            coalesce(sized_matches.wrap_first_row, label_offsets.label_row_no, sized_matches.first_row_no),
            sized_matches.first_row_no
        ) as first_line,
        sized_matches.last_row_no as last_line
    from sized_runs as sized_matches
    left join label_offsets
        on sized_matches.report_id = label_offsets.report_id
        and sized_matches.stream_no = label_offsets.stream_no
        and sized_matches.group_no = label_offsets.group_no
    where sized_matches.stream_no = 0
),

text_row_span_lines as (
    {{ explode_integer_range(
        'text_row_spans', ['report_id', 'stream_no', 'group_no', 'span_start', 'span_end'],
        'first_line', 'last_line', 'line_no') }}
),

text_row_parts as (
    select
        text_row_span_lines.report_id,
        text_row_span_lines.stream_no,
        text_row_span_lines.group_no,
        report_lines.line_no,
        substr(
            report_lines.line,
            cast(greatest(text_row_span_lines.span_start - report_lines.start_offset, 0) + 1 as integer),
            cast(
                least(text_row_span_lines.span_end, report_lines.end_offset)
                - greatest(text_row_span_lines.span_start, report_lines.start_offset)
                as integer
            )
        ) || case
            when report_lines.is_text_line_end and report_lines.end_offset < text_row_span_lines.span_end then chr(10)
            else ''
        end as part_text
    from text_row_span_lines
    inner join report_lines
        on text_row_span_lines.report_id = report_lines.report_id
        and text_row_span_lines.line_no = report_lines.line_no
    where report_lines.start_offset <= text_row_span_lines.span_end
        and report_lines.end_offset >= text_row_span_lines.span_start
),

text_row_evidence as (
    select
        report_id,
        stream_no,
        group_no,
        {{ string_agg_ordered('part_text', 'line_no') }} as span_text
    from text_row_parts
    group by report_id, stream_no, group_no
),

matched_rows as (
    select
        sized_matches.report_id,
        sized_matches.stream_no,
        sized_matches.group_no,
        sized_matches.table_kind,
        sized_matches.template,
        sized_matches.row_key,
        sized_matches.label_key,
        -- a wrapped label is the two lines' labels joined, its row starting on the first line
        case when sized_matches.label_wrapped then trim(sized_matches.label_text) else label_offsets.row_label end
            as row_label,
        coalesce(sized_matches.printed_unit, sized_matches.glued_unit) as printed_unit,
        sized_matches.value_count,
        coalesce(sized_matches.value_columns, sized_matches.expected_cells) as expected_cells,
        case
            when sized_matches.expected_cells = 0 then 'heading'
            -- several value columns (本年度 | 累计): only a row with one cell per column is read
            when sized_matches.value_columns is not null then
                case
                    when sized_matches.value_count = 0 then 'blank_row'
                    when sized_matches.value_count = sized_matches.value_columns then 'cells'
                    when sized_matches.filled_cells = 0 then 'heading'
                    else 'cell_count_mismatch'
                end
            when sized_matches.value_count = 0 then 'blank_row'
            when sized_matches.value_count = sized_matches.expected_cells then 'cells'
            when sized_matches.padding_skipped is not null then 'cells'
            when sized_matches.run_text is not null and sized_matches.expected_cells > 1 then 'run'
            -- a label followed by nothing but empty cells of the wrong count is a heading cell (总计 over a column)
            when sized_matches.filled_cells = 0 then 'heading'
            else 'cell_count_mismatch'
        end as row_status,
        case
            when sized_matches.value_columns is not null then sized_matches.year_position - 1
            when sized_matches.value_count = sized_matches.expected_cells then 0
            else coalesce(sized_matches.padding_skipped, 0)
        end as leading_cells_skipped,
        sized_matches.column_heading,
        sized_matches.run_text,
        case when sized_matches.stream_no = 0 then coalesce(sized_matches.wrap_first_row, label_offsets.label_row_no, sized_matches.first_row_no) end
            as start_line,
        case when sized_matches.stream_no = 0 then sized_matches.last_row_no end as end_line,
        coalesce(sized_matches.wrap_start_offset, label_offsets.label_start, sized_matches.start_offset) as start_offset,
        sized_matches.end_offset,
        case
            when sized_matches.stream_no = 0
                then replace(replace(text_row_evidence.span_text, chr(10), ' '), chr(9), ' | ')
            else label_offsets.row_label || ' | ' || reader_cells.cells_text
        end as evidence,
        -- the cells before the cumulative column (累计) of a legacy row read under its heading, else null
        case
            when sized_matches.value_columns is not null and sized_matches.cumulative_position is not null
                then sized_matches.cumulative_position - 1
        end as cumulative_cells_skipped,
        case when sized_matches.value_columns is not null then sized_matches.cumulative_heading end
            as cumulative_heading
    from sized_runs as sized_matches
    left join text_row_evidence
        on sized_matches.report_id = text_row_evidence.report_id
        and sized_matches.stream_no = text_row_evidence.stream_no
        and sized_matches.group_no = text_row_evidence.group_no
    left join reader_cells
        on sized_matches.report_id = reader_cells.report_id
        and sized_matches.stream_no = reader_cells.stream_no
        and sized_matches.group_no = reader_cells.group_no
    left join label_offsets
        on sized_matches.report_id = label_offsets.report_id
        and sized_matches.stream_no = label_offsets.stream_no
        and sized_matches.group_no = label_offsets.group_no
),

inner_blank_rows as (
    select
        report_id,
        stream_no,
        group_no,
        table_kind,
        template,
        row_key,
        label_key,
        row_label,
        cast(null as string) as printed_unit,
        0 as value_count,
        expected_cells,
        'blank_row' as row_status,
        0 as leading_cells_skipped,
        cast(null as string) as column_heading,
        cast(null as string) as run_text,
        start_line,
        start_line as end_line,
        start_offset,
        start_offset as end_offset,
        row_label || ' | (no cells)' as evidence,
        cast(null as integer) as cumulative_cells_skipped,
        cast(null as string) as cumulative_heading
    from inferred_blank_rows
),

final as (
    select
        *,
        row_number() over (
            partition by report_id, table_kind, row_key order by stream_no, group_no, start_offset
        ) as occurrence_no
    from (
        select * from matched_rows
        union all
        select * from inner_blank_rows
    )
)

select * from final
