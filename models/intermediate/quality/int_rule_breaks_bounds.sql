{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Values out of bounds (seed indicator_bounds): one row per value below its minimum (negative_count when the
    minimum is 0 and the value negative) or above its maximum (implausible_magnitude: a run of digits read as one
    number).
-#}
with given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

bounds as (
    select * from {{ ref('indicator_bounds') }}
),

values_out_of_bounds as (
    select
        given_values.report_id,
        case
            when given_values.value < 0 and bounds.min_value >= 0 then 'negative_count'
            else 'implausible_magnitude'
        end as rule,
        given_values.indicator_code as indicator_codes,
        given_values.applicant_type,
        case
            when given_values.value < bounds.min_value then bounds.min_value else bounds.max_value
        end as expected_value,
        given_values.value as actual_value,
        given_values.labelled_code || ' [' || given_values.applicant_type || '] is ' || given_values.value_text
        || given_values.source_text
        || case
            when given_values.value < 0 and bounds.min_value >= 0 then ': a count is never negative.'
            when given_values.value < bounds.min_value
                then ', below the plausible minimum ' || {{ readable_number('bounds.min_value') }}
                || ' (seed indicator_bounds): probably misread.'
            else ', above the plausible maximum ' || {{ readable_number('bounds.max_value') }}
                || ' (seed indicator_bounds): probably misread.'
        end as issue_sentence,
        given_values.evidence,
        given_values.line_no,
        given_values.start_offset
    from given_values
    inner join bounds on given_values.indicator_code = bounds.code
    where given_values.value < bounds.min_value or given_values.value > bounds.max_value
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
    from values_out_of_bounds
)

select * from final
