{#-
    Where each page of a paged document (PDF) lies in the report's text: the offset its first line starts at and
    the offset the next page with text starts at (NULL for the last one). A page without text (line_count 0) has
    no range. raw.report_pages numbers lines as the text does (stg_report_lines.text_line_no); a text line read
    in pieces starts at its first piece. A value or issue is on the page whose range holds its start_offset.
-#}
with pages as (
    select * from {{ ref('stg_report_pages') }}
    where {{ in_reports_to_build('changed') }}
        and line_count > 0
),

report_lines as (
    select report_id, text_line_no, start_offset
    from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

page_starts as (
    select
        pages.report_id,
        pages.page_no,
        pages.first_line_no,
        pages.line_count,
        min(report_lines.start_offset) as start_offset
    from pages
    inner join report_lines
        on pages.report_id = report_lines.report_id
        and pages.first_line_no = report_lines.text_line_no
    group by pages.report_id, pages.page_no, pages.first_line_no, pages.line_count
),

final as (
    select
        report_id,
        page_no,
        first_line_no,
        line_count,
        start_offset,
        lead(start_offset) over (partition by report_id order by page_no) as end_offset
    from page_starts
)

select * from final
