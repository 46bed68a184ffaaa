{{ config(materialized='incremental', meta={'rebuild_scope': 'affected'}) }}
{#-
    What an analyst should know before trusting a report's figures: one row per broken consistency rule of the
    values kept (the models int_rule_breaks_<kind> of models/intermediate/quality, one per kind of rule, driven by
    the seeds) and per issue the extractors recorded (tables:
    int_table_extraction_issues; prose: int_prose_conflicts_detected; place names: int_report_place_ambiguities;
    lines read in pieces: stg_report_lines), with the rule, its severity (seed
    quality_rules: error = the source contradicts itself, warn = a value was dropped, overruled or implausible,
    info = a weaker reading was set aside or a soft rule does not hold), the values concerned and a sentence to
    read. A PDF's issue carries the page its start_offset lies on, and its evidence is shown without the spaces
    the text layer puts between Han characters.
-#}

with le_breaks as (
    select * from {{ ref('int_rule_breaks_le') }}
    where {{ in_reports_to_build('affected') }}
),

sum_breaks as (
    select * from {{ ref('int_rule_breaks_sum') }}
    where {{ in_reports_to_build('affected') }}
),

applicant_columns_breaks as (
    select * from {{ ref('int_rule_breaks_applicant_columns') }}
    where {{ in_reports_to_build('affected') }}
),

balance_breaks as (
    select * from {{ ref('int_rule_breaks_balance') }}
    where {{ in_reports_to_build('affected') }}
),

bounds_breaks as (
    select * from {{ ref('int_rule_breaks_bounds') }}
    where {{ in_reports_to_build('affected') }}
),

carried_over_breaks as (
    select * from {{ ref('int_rule_breaks_carried_over') }}
    where {{ in_reports_to_build('affected') }}
),

table_issues as (
    select * from {{ ref('int_table_extraction_issues') }}
    where {{ in_reports_to_build('affected') }}
),

prose_conflicts as (
    select * from {{ ref('int_prose_conflicts_detected') }}
    where {{ in_reports_to_build('affected') }}
),

place_ambiguities as (
    select * from {{ ref('int_report_place_ambiguities') }}
    where {{ in_reports_to_build('affected') }}
),

report_lines as (
    select report_id, line_no, text_line_no, start_offset, end_offset, line, is_text_line_end
    from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('affected') }}
),

quality_rules as (
    select * from {{ ref('quality_rules') }}
),

reports as (
    select report_id, reader from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('affected') }}
),

pages as (
    select report_id, page_no, start_offset, end_offset from {{ ref('int_report_pages_located') }}
    where {{ in_reports_to_build('affected') }}
),

-- the breaks of the consistency rules, every kind (their columns are those of issues below)
rule_breaks as (
    select * from le_breaks

    union all

    select * from sum_breaks

    union all

    select * from applicant_columns_breaks

    union all

    select * from balance_breaks

    union all

    select * from bounds_breaks

    union all

    select * from carried_over_breaks
),

-- a text line read in pieces (stg_report_lines cuts a line longer than var long_line_chars): a piece before the
-- last ends no text line
cut_text_lines as (
    select distinct report_id, text_line_no from report_lines where not is_text_line_end
),

cut_lines as (
    select
        report_lines.report_id,
        report_lines.text_line_no,
        min(report_lines.line_no) as line_no,
        min(report_lines.start_offset) as start_offset,
        max(report_lines.end_offset) - min(report_lines.start_offset) as line_chars,
        count(*) as pieces,
        min_by(left(report_lines.line, 40), report_lines.line_no) as evidence
    from report_lines
    inner join cut_text_lines
        on report_lines.report_id = cut_text_lines.report_id
        and report_lines.text_line_no = cut_text_lines.text_line_no
    group by report_lines.report_id, report_lines.text_line_no
),

issues as (
    select
        report_id,
        rule,
        indicator_codes,
        applicant_type,
        expected_value,
        actual_value,
        issue_sentence,
        evidence,
        line_no,
        start_offset
    from rule_breaks

    union all

    select
        report_id,
        issue_kind as rule,
        indicator_codes,
        applicant_type,
        expected_value,
        actual_value,
        case
            when issue_kind = 'conflicting_table_cells'
                then 'The table prints ' || indicator_codes || ' twice with different values (' || detail || ').'
            when issue_kind = 'reader_cells_differ_from_text'
                then 'The table cells of ' || indicator_codes || ' differ from the same table in the text lines ('
                    || detail || '); the cells are kept.'
            when issue_kind = 'cell_count_mismatch'
                then 'A ' || table_kind || ' row (' || coalesce(row_key, '?') || ') has cells that fit no layout: '
                    || detail || '.'
            else 'The run of digits of ' || table_kind || ' row ' || coalesce(row_key, '?') || ' gives no value: '
                || detail || '.'
        end as issue_sentence,
        evidence,
        start_line as line_no,
        start_offset
    from table_issues

    union all

    select
        report_id,
        conflict_kind as rule,
        indicator_code as indicator_codes,
        applicant_type,
        kept_value as expected_value,
        other_value as actual_value,
        detail as issue_sentence,
        evidence,
        line_no,
        start_offset
    from prose_conflicts

    union all

    select
        report_id,
        'place_name_ambiguous' as rule,
        cast(null as string) as indicator_codes,
        cast(null as string) as applicant_type,
        cast(null as {{ indicator_value_type() }}) as expected_value,
        cast(null as {{ indicator_value_type() }}) as actual_value,
        issue_sentence,
        evidence,
        line_no,
        start_offset
    from place_ambiguities

    union all

    select
        report_id,
        'long_line_cut' as rule,
        cast(null as string) as indicator_codes,
        cast(null as string) as applicant_type,
        cast(null as {{ indicator_value_type() }}) as expected_value,
        cast(null as {{ indicator_value_type() }}) as actual_value,
        'Line ' || cast(text_line_no as string) || ' of the text (' || cast(line_chars as string)
            || ' characters without a line break) was read in ' || cast(pieces as string)
            || ' pieces cut at sentence ends.' as issue_sentence,
        evidence,
        line_no,
        start_offset
    from cut_lines
),

final as (
    select
        issues.report_id,
        issues.rule,
        quality_rules.severity,
        issues.indicator_codes,
        issues.applicant_type,
        issues.expected_value,
        issues.actual_value,
        issues.issue_sentence,
        quality_rules.description as rule_description,
        quality_rules.detected_by,
        case
            when reports.reader = 'pdf' then {{ without_spaces_between_han('issues.evidence') }}
            else issues.evidence
        end as evidence,
        issues.line_no,
        issues.start_offset,
        pages.page_no
    from issues
    left join quality_rules on issues.rule = quality_rules.rule
    left join reports on issues.report_id = reports.report_id
    left join pages
        on issues.report_id = pages.report_id
        and issues.start_offset >= pages.start_offset
        and (issues.start_offset < pages.end_offset or pages.end_offset is null)
)

select * from final
