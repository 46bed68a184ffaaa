{#-
    One row per misread place name in a report's subject that two or more divisions could be, one confusable
    character away each (int_report_places_misread): the tie is left unresolved, and marts.fct_quality_issues
    shows it as place_name_ambiguous, with the candidates and their codes, where the name first appears in the
    report's text.
-#}

with misread_places as (
    select * from {{ ref('int_report_places_misread') }}
    where {{ in_reports_to_build('changed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

report_lines as (
    select * from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

ambiguous_names as (
    select
        misread_places.report_id,
        misread_places.matched_text,
        misread_places.start_offset as subject_start_offset,
        count(*) as candidate_count,
        {{ string_agg_ordered(
            "admin_divisions.name || ' (' || admin_divisions.code || ')'", 'admin_divisions.code', "', '"
        ) }} as candidates
    from misread_places
    inner join admin_divisions on misread_places.division_id = admin_divisions.division_id
    where misread_places.reading_count > 1
    group by misread_places.report_id, misread_places.matched_text, misread_places.start_offset
),

first_lines as (
    -- the first line of the report where the name is written
    select
        ambiguous_names.report_id,
        ambiguous_names.matched_text,
        min(report_lines.line_no) as line_no
    from ambiguous_names
    inner join report_lines
        on ambiguous_names.report_id = report_lines.report_id
        and {{ text_position('report_lines.line', 'ambiguous_names.matched_text') }} > 0
    group by ambiguous_names.report_id, ambiguous_names.matched_text
),

final as (
    select
        ambiguous_names.report_id,
        ambiguous_names.matched_text,
        ambiguous_names.candidate_count,
        ambiguous_names.candidates,
        ambiguous_names.matched_text || ' (in the subject) is no division; read with one confusable character'
            || ' otherwise, it is any of ' || cast(ambiguous_names.candidate_count as string)
            || ' divisions of the places the text names: ' || ambiguous_names.candidates
            || '. No region is taken from it.' as issue_sentence,
        coalesce(headers.named_issuer, headers.title_issuer) as evidence,
        first_lines.line_no,
        report_lines.start_offset
            + {{ text_position('report_lines.line', 'ambiguous_names.matched_text') }} - 1 as start_offset
    from ambiguous_names
    inner join headers on ambiguous_names.report_id = headers.report_id
    left join first_lines
        on ambiguous_names.report_id = first_lines.report_id
        and ambiguous_names.matched_text = first_lines.matched_text
    left join report_lines
        on first_lines.report_id = report_lines.report_id
        and first_lines.line_no = report_lines.line_no
)

select * from final
