{#-
    The content lines of each report (no blank or web page furniture lines) grouped into paragraphs: a line
    continues the paragraph of the line before when that line does not end a sentence (text_cues sentence_end),
    no blank line lies between them, neither is a table row (text_cues table_row) and the line does not start a
    numbered heading or item (text_cues paragraph_start), and a bare heading (short, no clause delimiter) ends its
    paragraph. So a sentence that PDF text wraps over lines (or over a
    page number) is read whole. A piece of a line cut by stg_report_lines (not ending its text line) ends its
    paragraph, so no paragraph outgrows a piece. One row per content line.
-#}
-- depends_on: {{ ref('text_cues') }}

with all_lines as (
    select
        report_id,
        line_no,
        start_offset,
        line,
        trimmed_line,
        is_blank,
        is_furniture,
        is_text_line_end,
        sum(case when is_blank then 1 else 0 end) over (
            partition by report_id order by line_no rows between unbounded preceding and current row
        ) as blank_lines_so_far
    from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

content_lines as (
    select
        report_id,
        line_no,
        start_offset,
        line,
        blank_lines_so_far,
        is_text_line_end,
        {{ matches_any_cue('trimmed_line', 'sentence_end') }} as ends_sentence,
        {{ matches_any_cue('trimmed_line', 'table_row') }} as is_table_row,
        {{ matches_any_cue('trimmed_line', 'paragraph_start') }} as starts_item,
        -- a bare heading (一、概述): short, no clause of its own
        length(trimmed_line) <= {{ var('prose_heading_max_chars', 30) }}
            and not {{ zfxxgk.regexp_matches('trimmed_line', zfxxgk.string_literal('[' ~ var('prose_clause_delimiters') ~ ']')) }}
            as is_short_line
    from all_lines
    where not is_blank and not is_furniture
),

lines_with_previous as (
    select
        *,
        lag(blank_lines_so_far) over (partition by report_id order by line_no) as previous_blank_lines_so_far,
        lag(ends_sentence) over (partition by report_id order by line_no) as previous_ends_sentence,
        lag(is_text_line_end) over (partition by report_id order by line_no) as previous_is_text_line_end,
        lag(is_table_row) over (partition by report_id order by line_no) as previous_is_table_row,
        lag(starts_item and is_short_line) over (partition by report_id order by line_no) as previous_is_heading
    from content_lines
),

continuations as (
    select
        *,
        coalesce(
            previous_blank_lines_so_far = blank_lines_so_far
            and not previous_ends_sentence
            -- a piece of a cut line (stg_report_lines) ends its paragraph: a paragraph never grows past a piece
            and previous_is_text_line_end is distinct from false
            and not previous_is_table_row
            and not previous_is_heading
            and not is_table_row
            and not starts_item,
            false
        ) as continues_paragraph
    from lines_with_previous
),

numbered as (
    select
        report_id,
        line_no,
        start_offset,
        line,
        sum(case when continues_paragraph then 0 else 1 end) over (
            partition by report_id order by line_no rows between unbounded preceding and current row
        ) as paragraph_no
    from continuations
),

final as (
    select
        report_id,
        line_no,
        start_offset,
        line,
        paragraph_no,
        row_number() over (partition by report_id, paragraph_no order by line_no) as line_rank,
        count(*) over (partition by report_id, paragraph_no) as paragraph_line_count
    from numbered
)

select * from final
