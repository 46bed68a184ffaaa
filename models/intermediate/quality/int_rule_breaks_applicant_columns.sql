{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Applicant columns that do not add up to 总计 (table 三: 自然人 and the five 法人或其他组织 columns of seed
    table_layouts): one row per indicator and report whose six columns sum to another value than its total column
    (applicant_columns_differ_from_total), or whose columns given already sum to more
    (applicant_columns_exceed_total).
-#}
with given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

applicant_types as (
    select distinct applicant_type from {{ ref('table_layouts') }}
    where applicant_type <> 'total'
),

column_sums as (
    select
        given_values.report_id,
        given_values.indicator_code,
        sum(given_values.value) as columns_sum,
        count(*) = (select count(*) from applicant_types) as is_complete,
        {{ string_agg_ordered(
            "given_values.applicant_type || ' ' || given_values.value_text", 'given_values.applicant_type', "' + '"
        ) }} as columns_text
    from given_values
    inner join applicant_types on given_values.applicant_type = applicant_types.applicant_type
    group by given_values.report_id, given_values.indicator_code
),

totals_not_matching_columns as (
    select
        totals.report_id,
        case
            when column_sums.is_complete then 'applicant_columns_differ_from_total'
            else 'applicant_columns_exceed_total'
        end as rule,
        totals.indicator_code as indicator_codes,
        totals.applicant_type,
        column_sums.columns_sum as expected_value,
        totals.value as actual_value,
        'The applicant columns of ' || totals.labelled_code || ' '
        || case when column_sums.is_complete then 'sum to ' else 'given already sum to ' end
        || {{ readable_number('column_sums.columns_sum') }}
        || case when column_sums.is_complete then ', but its 总计 column is ' else ', more than its 总计 column ' end
        || totals.value_text || totals.source_text || ': ' || column_sums.columns_text || '.' as issue_sentence,
        totals.evidence,
        totals.line_no,
        totals.start_offset
    from column_sums
    inner join given_values as totals
        on column_sums.report_id = totals.report_id
        and column_sums.indicator_code = totals.indicator_code
        and totals.applicant_type = 'total'
    where (column_sums.is_complete and column_sums.columns_sum <> totals.value)
        or (not column_sums.is_complete and column_sums.columns_sum > totals.value)
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
    from totals_not_matching_columns
)

select * from final
