{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Parts above their whole (seed indicators, rule le: a part never exceeds its parent_code): one row per part,
    report and applicant type whose value is more than its whole's.
-#}
with given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

parts_above_wholes as (
    select
        parts.report_id,
        'part_exceeds_whole' as rule,
        parts.indicator_code || ',' || wholes.indicator_code as indicator_codes,
        parts.applicant_type,
        wholes.value as expected_value,
        parts.value as actual_value,
        parts.labelled_code || ' [' || parts.applicant_type || '] is ' || parts.value_text || parts.source_text
        || ', more than its whole ' || wholes.labelled_code || ', ' || wholes.value_text || wholes.source_text
        || ': a part never exceeds its whole.' as issue_sentence,
        parts.evidence,
        parts.line_no,
        parts.start_offset
    from given_values as parts
    inner join indicators as part_codes on parts.indicator_code = part_codes.code and part_codes.rule = 'le'
    inner join given_values as wholes
        on parts.report_id = wholes.report_id
        and parts.applicant_type = wholes.applicant_type
        and part_codes.parent_code = wholes.indicator_code
    where parts.value > wholes.value
),

final as (
    select
        report_id,
        rule,
        indicator_codes,
        applicant_type,
        cast(expected_value as {{ indicator_value_type() }}) as expected_value,
        cast(actual_value as {{ indicator_value_type() }}) as actual_value,
        issue_sentence,
        evidence,
        line_no,
        start_offset
    from parts_above_wholes
)

select * from final
