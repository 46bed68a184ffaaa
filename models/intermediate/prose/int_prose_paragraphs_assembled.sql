{#-
    One row per paragraph of a report (int_prose_lines_grouped): its lines joined with a line break, so that
    the figures and statements of the prose are read in whole sentences. A position in paragraph_text maps back
    to the report text through the line it falls on (the line_rank-th line of the paragraph).
-#}

with lines as (
    select * from {{ ref('int_prose_lines_grouped') }}
    where {{ in_reports_to_build('changed') }}
),

single_line_paragraphs as (
    select report_id, paragraph_no, line_no as first_line_no, 1 as line_count, line as paragraph_text
    from lines
    where paragraph_line_count = 1
),

multi_line_paragraphs as (
    select
        report_id,
        paragraph_no,
        min(line_no) as first_line_no,
        count(*) as line_count,
        {{ string_agg_ordered('line', 'line_no', 'chr(10)') }} as paragraph_text
    from lines
    where paragraph_line_count > 1
    group by report_id, paragraph_no
),

final as (
    select * from single_line_paragraphs
    union all
    select * from multi_line_paragraphs
)

select * from final
