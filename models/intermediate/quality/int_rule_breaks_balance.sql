{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Balances that do not hold (seed indicator_balances; table 三, every column: 一、本年新收 + 二、上年结转 =
    （七）总计 + 四、结转下年度): one row per balance, report and applicant type whose two sides, each given in
    full, differ. The rule is named balance || '_out_of_balance'.
-#}
with given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
),

balance_codes as (
    select * from {{ ref('indicator_balances') }}
),

balance_sides as (
    select
        given_values.report_id,
        given_values.applicant_type,
        balance_codes.balance,
        balance_codes.side,
        sum(given_values.value) as side_sum,
        count(*) as side_values,
        {{ string_agg_ordered(
            "balance_codes.short_label || ' ' || given_values.value_text", 'balance_codes.position', "' + '"
        ) }} as side_text,
        min_by(given_values.evidence, balance_codes.position) as evidence,
        min_by(given_values.line_no, balance_codes.position) as line_no,
        min_by(given_values.start_offset, balance_codes.position) as start_offset,
        min_by(given_values.source_text, balance_codes.position) as source_text
    from given_values
    inner join balance_codes on given_values.indicator_code = balance_codes.indicator_code
    group by given_values.report_id, given_values.applicant_type, balance_codes.balance, balance_codes.side
),

side_sizes as (
    select balance, side, count(*) as side_codes,
        {{ string_agg_ordered('indicator_code', 'position', "','") }} as side_code_list
    from balance_codes
    group by balance, side
),

unbalanced_sides as (
    select
        inflows.report_id,
        inflows.balance || '_out_of_balance' as rule,
        in_sizes.side_code_list || ',' || out_sizes.side_code_list as indicator_codes,
        inflows.applicant_type,
        inflows.side_sum as expected_value,
        outflows.side_sum as actual_value,
        '[' || inflows.applicant_type || '] ' || inflows.side_text || ' = ' || {{ readable_number('inflows.side_sum') }}
        || ', but ' || outflows.side_text || ' = ' || {{ readable_number('outflows.side_sum') }}
        || outflows.source_text || ': what comes in is decided or carried over.' as issue_sentence,
        outflows.evidence,
        outflows.line_no,
        outflows.start_offset
    from balance_sides as inflows
    inner join side_sizes as in_sizes
        on inflows.balance = in_sizes.balance and inflows.side = in_sizes.side
        and inflows.side_values = in_sizes.side_codes
    inner join balance_sides as outflows
        on inflows.report_id = outflows.report_id
        and inflows.applicant_type = outflows.applicant_type
        and inflows.balance = outflows.balance
        and outflows.side = 'out'
    inner join side_sizes as out_sizes
        on outflows.balance = out_sizes.balance and outflows.side = out_sizes.side
        and outflows.side_values = out_sizes.side_codes
    where inflows.side = 'in' and inflows.side_sum <> outflows.side_sum
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
    from unbalanced_sides
)

select * from final
