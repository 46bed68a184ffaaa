{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Carry-overs that do not match across an issuer's consecutive years (same issuer_key): 上年结转 of year t that
    differs from 结转下年度 of t-1 (seed indicator_carryovers: carried_over_mismatch), and a 2019 table 二's
    上一年项目数量 of t that is not 上一年项目数量 + 本年增/减 of t-1 (seed indicator_item_changes:
    items_carried_over_mismatch). One row per break, recorded on the later report. The values read are those of
    the reports this build rebuilds and of the same issuer's reports of the year before; only the rebuilt
    reports' breaks are kept (int_reports_affected includes the year after a changed report).
-#}
with reports as (
    select report_id, issuer, issuer_key, report_year
    from {{ ref('int_reports_described') }}
),

-- the same issuer's reports of the year before a report this build rebuilds
years_before as (
    select earlier.report_id
    from reports as earlier
    inner join reports as later
        on earlier.issuer_key = later.issuer_key and earlier.report_year = later.report_year - 1
    where {{ in_reports_to_build('affected', 'later.report_id') }}
),

given_values as (
    select * from {{ ref('int_rule_inputs_labelled') }}
    where {{ in_reports_to_build('affected') }}
        or report_id in (select report_id from years_before)
),

carryovers as (
    select * from {{ ref('indicator_carryovers') }}
),

item_changes as (
    select * from {{ ref('indicator_item_changes') }}
),

issuer_values as (
    select
        given_values.*,
        reports.issuer,
        reports.issuer_key,
        reports.report_year
    from given_values
    inner join reports on given_values.report_id = reports.report_id
    where reports.issuer_key is not null and reports.report_year is not null
),

carry_over_mismatches as (
    select
        carried_in.report_id,
        'carried_over_mismatch' as rule,
        carried_in.indicator_code || ',' || carried_out.indicator_code as indicator_codes,
        carried_in.applicant_type,
        carried_out.value as expected_value,
        carried_in.value as actual_value,
        carried_in.labelled_code || ' [' || carried_in.applicant_type || '] is ' || carried_in.value_text
        || carried_in.source_text || ' in ' || cast(carried_in.report_year as string) || ', but the '
        || cast(carried_out.report_year as string) || ' report of ' || carried_out.issuer || ' gives '
        || carried_out.labelled_code || ' ' || carried_out.value_text || carried_out.source_text || '.'
            as issue_sentence,
        carried_in.evidence,
        carried_in.line_no,
        carried_in.start_offset
    from carryovers
    inner join issuer_values as carried_in on carryovers.carried_in_code = carried_in.indicator_code
    inner join issuer_values as carried_out
        on carryovers.carried_out_code = carried_out.indicator_code
        and carried_in.issuer_key = carried_out.issuer_key
        and carried_in.report_year = carried_out.report_year + 1
        and carried_in.applicant_type = carried_out.applicant_type
    where carried_in.value <> carried_out.value
),

-- 上一年项目数量 + 本年增/减 of year t: the items the issuer's report for t+1 should start from
items_after_change as (
    select
        last_year.report_id,
        last_year.issuer,
        last_year.issuer_key,
        last_year.report_year,
        last_year.applicant_type,
        last_year.indicator_code as items_code,
        last_year.value + changes.value as items_after,
        last_year.labelled_code || ' ' || last_year.value_text || last_year.source_text || ' + '
        || changes.labelled_code || ' ' || changes.value_text || changes.source_text as items_after_text
    from item_changes
    inner join issuer_values as last_year on item_changes.items_code = last_year.indicator_code
    inner join issuer_values as changes
        on item_changes.change_code = changes.indicator_code
        and last_year.report_id = changes.report_id
        and last_year.applicant_type = changes.applicant_type
),

item_count_mismatches as (
    select
        next_year.report_id,
        'items_carried_over_mismatch' as rule,
        next_year.indicator_code as indicator_codes,
        next_year.applicant_type,
        items_after_change.items_after as expected_value,
        next_year.value as actual_value,
        next_year.labelled_code || ' [' || next_year.applicant_type || '] is ' || next_year.value_text
        || next_year.source_text || ' in ' || cast(next_year.report_year as string) || ', but the '
        || cast(items_after_change.report_year as string) || ' report of ' || items_after_change.issuer
        || ' gives ' || items_after_change.items_after_text || ' = '
        || {{ readable_number('items_after_change.items_after') }} || '.' as issue_sentence,
        next_year.evidence,
        next_year.line_no,
        next_year.start_offset
    from items_after_change
    inner join issuer_values as next_year
        on items_after_change.items_code = next_year.indicator_code
        and items_after_change.issuer_key = next_year.issuer_key
        and next_year.report_year = items_after_change.report_year + 1
        and items_after_change.applicant_type = next_year.applicant_type
    where next_year.value <> items_after_change.items_after
),

carried_over_mismatches as (
    select * from carry_over_mismatches
    union all
    select * from item_count_mismatches
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
    from carried_over_mismatches
    where {{ in_reports_to_build('affected') }}
)

select * from final
