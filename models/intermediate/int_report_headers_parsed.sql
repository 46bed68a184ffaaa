-- depends_on: {{ ref('text_cues') }}
-- depends_on: {{ ref('issuer_kinds') }}

{%- set issuer_kinds = seed_rows('issuer_kinds', ['suffix'], order_by='length(suffix) desc') -%}
{%- set issuer_suffix_pattern = '(' ~ (issuer_kinds | map(attribute=0) | join('|')) ~ ')$' -%}
{%- set intro_chars = var('metadata_intro_chars', 3000) -%}
{%- set cue_chars = var('annual_report_cue_chars', 600) %}

with reports as (
    select report_id, source_path, reader, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

reader_document_kinds as (
    select * from {{ ref('reader_document_kinds') }}
),

report_lines as (
    select * from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

content_lines as (
    select
        report_id,
        line_no,
        trimmed_line,
        row_number() over (partition by report_id order by line_no) as content_no,
        row_number() over (partition by report_id order by line_no desc) as content_no_from_end
    from report_lines
    where not is_furniture
        and not is_blank
        and not {{ matches_any_cue('trimmed_line', 'page_number') }}
),

title_candidates as (
    select
        report_id,
        line_no,
        trimmed_line,
        lag(trimmed_line) over (partition by report_id order by line_no) as previous_line,
        {{ matches_any_cue('trimmed_line', 'title_line') }}
        and not {{ matches_any_cue('trimmed_line', 'not_title_line') }} as is_title_line
    from (
        -- a markdown heading's # marks, and the pipes of a layout table cell after it, are no part of the title
        select
            report_id,
            line_no,
            content_no,
            {{ regexp_replace_all(
                regexp_replace_all('trimmed_line', string_literal('^#+\s*'), "''"),
                string_literal('\s*\|[\s|]*$'),
                "''"
            ) }} as trimmed_line
        from content_lines
    ) as unmarked_lines
    where content_no <= 5
),

-- A report flattened to one line starts with its title: the words up to 年度报告 / 工作报告.
leading_titles as (
    select
        report_id,
        nullif({{ first_cue_capture('trimmed_line', 'title_prefix') }}, '') as leading_title
    from content_lines
    where content_no = 1 and length(trimmed_line) > 80
),

title_lines as (
    -- a title broken after the body's name (淮安市人民政府 / 2024 年政府信息公开工作年度报告) is joined again
    select
        report_id,
        min_by(
            case
                when {{ regexp_matches('trimmed_line', string_literal('^\d{4}\s*年')) }}
                    and length(previous_line) <= 30
                    -- 2008年高青县畜牧局政府信息公开… names its body itself: the line before is no part of it
                    and {{ first_cue_capture('trimmed_line', 'title_issuer') }} is null
                    and not {{ regexp_matches('previous_line', string_literal('[。,;:!?)]$')) }}
                    then previous_line || trimmed_line
                else trimmed_line
            end,
            line_no
        ) as title_line
    from title_candidates
    where is_title_line and length(trimmed_line) <= 80
    group by report_id
),

-- A statistics table attached as a spreadsheet has no report title: its title row (某某县人民政府2013年政府信息
-- 公开工作情况统计表) or its file name stands for one; the one that names a year wins.
attachment_reports as (
    select
        reports.report_id,
        {{ regexp_extract('reports.source_path', string_literal('([^/]+)\.[A-Za-z0-9]+$'), 1) }} as file_stem
    from reports
    inner join reader_document_kinds on reports.reader = reader_document_kinds.reader
    where reader_document_kinds.is_attachment
),

attachment_row_titles as (
    select
        content_lines.report_id,
        min_by({{ first_cue_capture('content_lines.trimmed_line', 'attachment_title') }}, content_lines.line_no) filter (
            where {{ first_cue_capture('content_lines.trimmed_line', 'attachment_title') }} is not null
        ) as row_title
    from content_lines
    inner join attachment_reports on content_lines.report_id = attachment_reports.report_id
    where content_lines.content_no <= 5
    group by content_lines.report_id
),

attachment_titles as (
    select
        report_id,
        coalesce(
            case when {{ matches_any_cue('row_title', 'report_year_title') }} then row_title end,
            case when {{ matches_any_cue('file_title', 'report_year_title') }} then file_title end,
            row_title,
            file_title
        ) as attachment_title
    from (
        select
            attachment_reports.report_id,
            attachment_row_titles.row_title,
            nullif({{ first_cue_capture('attachment_reports.file_stem', 'attachment_title') }}, '') as file_title
        from attachment_reports
        left join attachment_row_titles on attachment_reports.report_id = attachment_row_titles.report_id
    ) as attachment_title_candidates
),

page_headers as (
    select
        report_id,
        min_by({{ first_cue_capture('trimmed_line', 'title_metadata') }}, line_no) filter (
            where {{ first_cue_capture('trimmed_line', 'title_metadata') }} is not null
        ) as metadata_title,
        min_by({{ first_cue_capture('trimmed_line', 'publish_date_header') }}, line_no) filter (
            where {{ first_cue_capture('trimmed_line', 'publish_date_header') }} is not null
        ) as header_date_text,
        min_by({{ first_cue_capture('trimmed_line', 'issuer_metadata') }}, line_no) filter (
            where {{ first_cue_capture('trimmed_line', 'issuer_metadata') }} is not null
        ) as metadata_issuer
    from report_lines
    where furniture_kind = 'page_metadata'
    group by report_id
),

signatures as (
    select
        report_id,
        right({{ string_agg_ordered('trimmed_line', 'line_no', "' '") }}, 120) as signature_text
    from content_lines
    where content_no_from_end <= 3
    group by report_id
),

assembled as (
    select
        reports.report_id,
        coalesce(
            title_lines.title_line,
            page_headers.metadata_title,
            leading_titles.leading_title,
            attachment_titles.attachment_title
        ) as title,
        page_headers.header_date_text,
        page_headers.metadata_issuer,
        signatures.signature_text,
        left(reports.text, {{ intro_chars }}) as intro_text,
        left(reports.text, {{ cue_chars }}) as cue_text,
        reports.text
    from reports
    left join title_lines on reports.report_id = title_lines.report_id
    left join page_headers on reports.report_id = page_headers.report_id
    left join signatures on reports.report_id = signatures.report_id
    left join leading_titles on reports.report_id = leading_titles.report_id
    left join attachment_titles on reports.report_id = attachment_titles.report_id
),

cues_found as (
    select
        report_id,
        title,
        header_date_text,
        metadata_issuer,
        signature_text,
        intro_text,
        try_cast({{ regexp_extract('header_date_text', string_literal('^(\d{4})'), 1) }} as integer) as header_year,
        try_cast({{ regexp_extract('header_date_text', string_literal('^\d{4}\s*[-/.年]\s*(\d{1,2})'), 1) }} as integer)
            as header_month,
        {{ first_cue_capture('signature_text', 'signature_date') }} as signature_date_text,
        {{ first_cue_capture('signature_text', 'signature_issuer') }} as signature_issuer,
        -- the body the title names; with no title, the place the opening sentence is about (2020年,武汉市坚持…)
        coalesce(
            {{ first_cue_capture('title', 'title_issuer') }},
            case when title is null then {{ first_cue_capture('intro_text', 'text_subject') }} end
        ) as title_issuer,
        {{ first_cue_capture('intro_text', 'issuer_text') }} as text_issuer,
        try_cast(translate(
            {{ first_cue_capture('title', 'report_year_title') }}, '〇○零一二三四五六七八九', '000123456789'
        ) as integer) as title_year,
        try_cast({{ first_cue_capture('intro_text', 'report_year_text') }} as integer) as text_year,
        {{ first_cue_capture('intro_text', 'self_reference') }} as self_reference_suffix,
        {{ matches_any_cue("coalesce(title, '') || ' ' || cue_text", 'disclosure') }} as has_disclosure_cue,
        {{ matches_any_cue("coalesce(title, '') || ' ' || cue_text", 'annual_report') }} as has_annual_report_cue,
        {{ matches_any_cue('text', 'template_2019') }} as has_2019_table_cue,
        {{ matches_any_cue('text', 'template_2021') }} as has_2021_table_cue,
        {{ matches_any_cue('text', 'template_new_sections') }} as has_new_section_cue
    from assembled
),

final as (
    select
        report_id,
        title,
        title_issuer,
        signature_issuer,
        text_issuer,
        metadata_issuer,
        -- the title names the reporting body; the signature may be the office that drafted the report for it
        -- (六安市金安区人民政府 ... 年度报告, signed 金安区人民政府办公室)
        coalesce(
            case when {{ regexp_matches('title_issuer', string_literal(issuer_suffix_pattern)) }} then title_issuer end,
            signature_issuer,
            text_issuer,
            -- the page header's publishing body (发布机构, 【制定机关】) when the report names none itself and
            -- has no title naming one (发文机关: 市政府办公室 above 济源市2013年… is the office that posted it)
            case
                when title_issuer is null
                    and {{ regexp_matches('metadata_issuer', string_literal(issuer_suffix_pattern)) }}
                    then metadata_issuer
            end
        ) as named_issuer,
        case
            when title_year between 2007 and year(current_date) then title_year
            when text_year between 2007 and year(current_date) then text_year
            -- an annual report page published in the first half of a year (发布时间 2020-01-15) reports on the
            -- year before (a news page's date says nothing about a year reported on)
            when has_disclosure_cue and has_annual_report_cue
                and header_month between 1 and 6
                and header_year - 1 between 2007 and year(current_date)
                then header_year - 1
        end as report_year,
        header_date_text,
        signature_date_text,
        signature_text,
        self_reference_suffix,
        has_disclosure_cue,
        has_annual_report_cue,
        has_2019_table_cue,
        has_2021_table_cue,
        has_new_section_cue,
        intro_text
    from cues_found
)

select * from final
