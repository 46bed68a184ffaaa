{#-
    The stream of table elements of each report, in reading order (element_no), cut into row groups
    (group_no: a run of text, then the values that follow it): text (row labels and headings),
    values (a number, maybe signed (+213 in a 同比增减 column) or with a note such as 22（其中修订16件）, or a run of digits that needs
    splitting), blank cells (empty, /, -, —, 无) and unit cells (条, 件, 万元 ...). Text cells come from
    int_table_tokens_extracted (stream 0); cells that readers hand over come from stg_report_table_cells
    (stream = the reader's table_no).
-#}
{%- set number = "[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" -%}

with tokens as (
    select * from {{ ref('int_table_tokens_extracted') }}
    where {{ in_reports_to_build('changed') }}
),

reader_cells as (
    select * from {{ ref('stg_report_table_cells') }}
    where {{ in_reports_to_build('changed') }}
),

cell_markers as (
    select coalesce(marker, '') as marker, cell_meaning from {{ ref('table_cell_markers') }}
),

units as (
    select unit from {{ ref('units') }}
),

-- Letters OCR reads for digits (1O5, l2), as two strings for translate()
number_misreadings as (
    select
        {{ string_agg_ordered('misread', 'misread') }} as misread_chars,
        {{ string_agg_ordered('reading', 'misread') }} as reading_chars
    from {{ ref('table_number_misreadings') }}
),

report_lines as (
    select report_id, line_no, start_offset, line from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

-- A cell's text is the stretch of its line from its first to its last non-blank token (a substring is much
-- cheaper than an ordered string aggregate of the tokens).
cell_spans as (
    select
        report_id,
        stream_no,
        row_no,
        col_no,
        layout,
        is_markdown_row,
        min(case when not is_separator and not is_space then token_start end) as content_start,
        max(case when not is_separator and not is_space then token_end end) as content_end,
        min(token_start) as cell_anchor
    from tokens
    group by report_id, stream_no, row_no, col_no, layout, is_markdown_row
),

text_cells as (
    select
        cell_spans.report_id,
        cell_spans.stream_no,
        cell_spans.row_no,
        cell_spans.col_no,
        cell_spans.layout,
        cell_spans.is_markdown_row,
        coalesce(
            substr(
                report_lines.line,
                cast(cell_spans.content_start - report_lines.start_offset + 1 as bigint),
                cast(cell_spans.content_end - cell_spans.content_start as bigint)
            ),
            ''
        ) as cell_text,
        coalesce(cell_spans.content_start, cell_spans.cell_anchor) as cell_start,
        coalesce(cell_spans.content_end, cell_spans.cell_anchor) as cell_end
    from cell_spans
    inner join report_lines
        on cell_spans.report_id = report_lines.report_id
        and cell_spans.row_no = report_lines.line_no
),

kept_text_cells as (
    select report_id, stream_no, row_no, col_no, cell_text, cell_start, cell_end, 'text' as cell_source, is_markdown_row
    from text_cells
    where not (layout = 'space' and cell_text = '')
        and not (layout = 'tab' and col_no = 0 and cell_text = '')
        and not (is_markdown_row and col_no = 0)
),

all_cells as (
    select * from kept_text_cells
    union all
    select
        report_id,
        table_no as stream_no,
        row_no,
        col_no,
        cell_text,
        cast(null as bigint) as cell_start,
        cast(null as bigint) as cell_end,
        'reader' as cell_source,
        false as is_markdown_row
    from reader_cells
),

-- A number cell of a markdown row (a table OCR rebuilt) whose letters are misread digits (1O5, 2O, l2): at least one
-- digit, nothing but digits, those letters and a decimal point, and a number once read back. The printed text stays.
-- The letters are read back with translate(), and the patterns stay constant (a pattern built from a column is
-- compiled again for every row).
read_back_cells as (
    select
        all_cells.*,
        case
            when all_cells.is_markdown_row
                and not {{ regexp_matches('all_cells.cell_text', "'^[0-9.]+$'") }}
                and {{ regexp_matches('all_cells.cell_text', "'[0-9]'") }}
                and {{ regexp_matches(
                    'translate(all_cells.cell_text, number_misreadings.misread_chars, number_misreadings.reading_chars)',
                    "'^[0-9.]+$'"
                ) }}
                and {{ regexp_matches(
                    'translate(all_cells.cell_text, number_misreadings.misread_chars, number_misreadings.reading_chars)',
                    string_literal('^' ~ number ~ '$')
                ) }}
                then translate(all_cells.cell_text, number_misreadings.misread_chars, number_misreadings.reading_chars)
        end as read_back_text,
        -- a cell of those letters alone (O, l) may be a digit, or not: it is not read back, and not blank either
        all_cells.is_markdown_row
            and all_cells.cell_text <> ''
            and translate(all_cells.cell_text, number_misreadings.misread_chars, '') = ''
            as is_unreadable_number
    from all_cells
    cross join number_misreadings
),

classified_cells as (
    select
        all_cells.*,
        case
            when cell_markers.marker is not null then 'blank'
            when all_cells.is_unreadable_number then 'blank'
            when {{ regexp_matches('all_cells.cell_text', string_literal('^' ~ number ~ '\s*([（(][^（()）]*[)）])?$')) }}
                then 'value'
            when all_cells.read_back_text is not null then 'value'
            -- an amount with its money unit in the cell (政府集中采购 | 6 | 152790元): int_table_cells_labelled
            -- reads the unit and converts 元 to 万元
            when {{ regexp_matches('all_cells.cell_text', string_literal('^' ~ number ~ '\s*(元|万元)$')) }}
                then 'value'
            when units.unit is not null then 'unit'
            when all_cells.cell_source = 'reader' then 'text'
            else 'mixed'
        end as cell_kind,
        case when all_cells.is_unreadable_number then 'unreadable' else cell_markers.cell_meaning end as cell_meaning
    from read_back_cells as all_cells
    left join cell_markers on all_cells.cell_text = cell_markers.marker
    left join units on all_cells.cell_text = units.unit
),

whole_cell_elements as (
    select
        report_id,
        stream_no,
        row_no,
        col_no,
        0 as piece_no,
        cell_kind as element_kind,
        cell_text as element_text,
        coalesce(cell_meaning, case when cell_kind = 'value' then 'reported' end) as cell_meaning,
        cell_start as element_start,
        cell_end as element_end,
        cell_source,
        read_back_text
    from classified_cells
    where cell_kind <> 'mixed'
),

mixed_cell_tokens as (
    select
        tokens.report_id,
        tokens.stream_no,
        tokens.row_no,
        tokens.col_no,
        tokens.token_no,
        tokens.token,
        tokens.token_start,
        tokens.token_end
    from tokens
    inner join classified_cells
        on tokens.report_id = classified_cells.report_id
        and tokens.stream_no = classified_cells.stream_no
        and tokens.row_no = classified_cells.row_no
        and tokens.col_no = classified_cells.col_no
    where classified_cells.cell_kind = 'mixed'
        and not tokens.is_separator
        and not tokens.is_space
),

-- A run of digits glued to the enumerator of the next label (00000002.其他法律...) is a value and an enumerator.
mixed_cell_pieces as (
    select
        report_id, stream_no, row_no, col_no,
        token_no * 2 as piece_no,
        case
            when {{ regexp_matches('token', string_literal('^' ~ number ~ '$')) }} then token
            when {{ regexp_matches('token', "'^\d{2,}[.．、]$'") }} then left(token, length(token) - 2)
        end as value_text,
        case
            when {{ regexp_matches('token', string_literal('^' ~ number ~ '$')) }} then null
            when {{ regexp_matches('token', "'^\d{2,}[.．、]$'") }} then right(token, 2)
            else token
        end as text_text,
        token_start,
        token_end
    from mixed_cell_tokens
),

mixed_cell_elements as (
    select
        report_id, stream_no, row_no, col_no, piece_no,
        'value' as element_kind,
        value_text as element_text,
        'reported' as cell_meaning,
        token_start as element_start,
        token_start + length(value_text) as element_end,
        'text' as cell_source,
        cast(null as string) as read_back_text
    from mixed_cell_pieces
    where value_text is not null
    union all
    select
        report_id, stream_no, row_no, col_no,
        piece_no + 1 as piece_no,
        'text' as element_kind,
        text_text as element_text,
        cast(null as string) as cell_meaning,
        token_end - length(text_text) as element_start,
        token_end as element_end,
        'text' as cell_source,
        cast(null as string) as read_back_text
    from mixed_cell_pieces
    where text_text is not null
),

all_elements as (
    select * from whole_cell_elements
    union all
    select * from mixed_cell_elements
),

sequenced_elements as (
    select
        *,
        row_number() over reading_order as element_no,
        lag(element_kind) over reading_order as previous_kind
    from all_elements
    window reading_order as (partition by report_id, stream_no order by row_no, col_no, piece_no)
),

-- A row group starts at each text element that follows a non-text one: its label, then its cells.
final as (
    select
        report_id,
        stream_no,
        element_no,
        sum(case when element_kind = 'text' and coalesce(previous_kind, '') <> 'text' then 1 else 0 end) over (
            partition by report_id, stream_no order by element_no rows between unbounded preceding and current row
        ) as group_no,
        row_no,
        col_no,
        piece_no,
        element_kind,
        element_text,
        cell_meaning,
        element_start,
        element_end,
        cell_source,
        read_back_text
    from sequenced_elements
)

select * from final
