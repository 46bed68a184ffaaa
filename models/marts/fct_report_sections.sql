{{ config(materialized='incremental', meta={'rebuild_scope': 'changed'}) }}
-- depends_on: {{ ref('text_cues') }}

with reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

report_lines as (
    select * from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

headings as (
    select * from {{ ref('int_report_headings_detected') }}
    where {{ in_reports_to_build('changed') }}
),

content_lines as (
    select report_id, line_no, start_offset, end_offset
    from report_lines
    where not is_furniture
        and not is_blank
        and not {{ matches_any_cue('trimmed_line', 'page_number') }}
),

first_content_lines as (
    select
        report_id,
        min(line_no) as line_no,
        min(start_offset) as start_offset
    from content_lines
    group by report_id
),

preambles as (
    -- the text before the first heading (the whole text when there is none)
    select
        first_content_lines.report_id,
        0 as section_no,
        'preamble' as section_type,
        cast(null as string) as heading,
        first_content_lines.line_no,
        first_content_lines.start_offset,
        true as is_line_start
    from first_content_lines
    left join (
        select report_id, min(start_offset) as first_heading_offset from headings group by report_id
    ) as first_headings on first_content_lines.report_id = first_headings.report_id
    where first_headings.first_heading_offset is null
        or first_content_lines.start_offset < first_headings.first_heading_offset
),

section_starts as (
    select report_id, section_no, section_type, heading, line_no, start_offset, is_line_start from preambles
    union all
    select report_id, section_no, section_type, heading, line_no, start_offset, is_line_start from headings
),

bounded as (
    select
        *,
        lead(start_offset) over (partition by report_id order by start_offset) as next_start_offset,
        lead(line_no) over (partition by report_id order by start_offset) as next_line_no,
        lead(is_line_start) over (partition by report_id order by start_offset) as next_is_line_start
    from section_starts
),

last_lines as (
    -- the last content line that starts before the next section (page numbers and furniture left out)
    select
        bounded.report_id,
        bounded.section_no,
        max(content_lines.line_no) as end_line
    from bounded
    inner join content_lines
        on bounded.report_id = content_lines.report_id
        and content_lines.line_no >= bounded.line_no
        and (
            bounded.next_line_no is null
            or content_lines.line_no < bounded.next_line_no
            or (content_lines.line_no = bounded.next_line_no and not bounded.next_is_line_start)
        )
    group by bounded.report_id, bounded.section_no
),

ranged as (
    select
        bounded.report_id,
        bounded.section_no,
        bounded.section_type,
        bounded.heading,
        bounded.line_no as start_line,
        last_lines.end_line,
        bounded.start_offset,
        case
            when last_lines.end_line = bounded.next_line_no then bounded.next_start_offset
            else end_lines.end_offset
        end as end_offset
    from bounded
    inner join last_lines
        on bounded.report_id = last_lines.report_id and bounded.section_no = last_lines.section_no
    inner join content_lines as end_lines
        on last_lines.report_id = end_lines.report_id and last_lines.end_line = end_lines.line_no
),

main_types_once as (
    -- a second section of a main type (two headings read as 'application') is kept as 'other'
    select
        *,
        row_number() over (partition by report_id, section_type order by section_no) as type_occurrence
    from ranged
),

final as (
    select
        main_types_once.report_id,
        main_types_once.section_no,
        case
            when main_types_once.type_occurrence > 1 then 'other'
            else main_types_once.section_type
        end as section_type,
        main_types_once.heading,
        main_types_once.start_line as start_line_no,
        -- deprecated alias of start_line_no (its name before this release), removed in the next
        main_types_once.start_line,
        main_types_once.end_line as end_line_no,
        -- deprecated alias of end_line_no, removed in the next release
        main_types_once.end_line,
        main_types_once.start_offset,
        main_types_once.end_offset,
        {{ trim_blanks(
            'substring(reports.text, main_types_once.start_offset + 1, main_types_once.end_offset - main_types_once.start_offset)'
        ) }} as section_text
    from main_types_once
    inner join reports on main_types_once.report_id = reports.report_id
)

select * from final
