{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Parts that do not add up to their total (seed indicators, rule sum): one row per whole, report and applicant
    type whose complete parts sum to another value (parts_differ_from_total), or whose parts given, some blank,
    already sum to more (parts_exceed_total). The parts a report's template has count (legacy 行政复议 has no
    尚未审结), and any part it gives anyway.
-#}
with given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

reports as (
    select report_id, template_version
    from {{ ref('int_reports_described') }}
    where {{ in_reports_to_build('affected') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

sum_parts as (
    -- the parts a report's template has (legacy 行政复议 has no 尚未审结), and any part it gives anyway
    select
        wholes.report_id,
        wholes.applicant_type,
        wholes.indicator_code as whole_code,
        part_codes.code as part_code,
        parts.value as part_value
    from given_values as wholes
    inner join reports on wholes.report_id = reports.report_id
    inner join indicators as part_codes on wholes.indicator_code = part_codes.parent_code and part_codes.rule = 'sum'
    left join given_values as parts
        on wholes.report_id = parts.report_id
        and wholes.applicant_type = parts.applicant_type
        and part_codes.code = parts.indicator_code
    where parts.value is not null
        or reports.template_version is null
        or '|' || part_codes.formats || '|' like '%|' || reports.template_version || '|%'
),

part_sums as (
    select
        report_id,
        applicant_type,
        whole_code,
        sum(part_value) as parts_sum,
        count(part_value) = count(*) as is_complete,
        {{ string_agg_ordered('case when part_value is not null then part_code end', 'part_code', "','") }} as given_part_codes,
        {{ string_agg_ordered(
            "part_code || ' ' || coalesce(" ~ readable_number('part_value') ~ ", 'blank')", 'part_code', "' + '"
        ) }} as parts_text
    from sum_parts
    group by report_id, applicant_type, whole_code
    having count(part_value) > 0
),

totals_not_matching_parts as (
    select
        wholes.report_id,
        case when part_sums.is_complete then 'parts_differ_from_total' else 'parts_exceed_total' end as rule,
        wholes.indicator_code || ',' || part_sums.given_part_codes as indicator_codes,
        wholes.applicant_type,
        part_sums.parts_sum as expected_value,
        wholes.value as actual_value,
        'The parts of ' || wholes.labelled_code || ' [' || wholes.applicant_type || '] '
        || case when part_sums.is_complete then 'sum to ' else 'given already sum to ' end
        || {{ readable_number('part_sums.parts_sum') }}
        || case when part_sums.is_complete then ', but the total is ' else ', more than the total ' end
        || wholes.value_text || wholes.source_text || ': ' || part_sums.parts_text || '.' as issue_sentence,
        wholes.evidence,
        wholes.line_no,
        wholes.start_offset
    from part_sums
    inner join given_values as wholes
        on part_sums.report_id = wholes.report_id
        and part_sums.applicant_type = wholes.applicant_type
        and part_sums.whole_code = wholes.indicator_code
    where (part_sums.is_complete and part_sums.parts_sum <> wholes.value)
        or (not part_sums.is_complete and part_sums.parts_sum > wholes.value)
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
    from totals_not_matching_parts
)

select * from final
