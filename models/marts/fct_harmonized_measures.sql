{{ config(materialized='incremental', meta={'rebuild_scope': 'affected'}) }}
{#-
    Measures that mean the same in every generation of report, one row per report and measure. Seed
    harmonized_measures says which codes make a measure in each template (litigation_total: legacy 行政诉讼数量;
    2019+ 未经复议直接起诉 总计 + 复议后起诉 总计); the value is their sum at applicant_type total, null when any
    of them is missing or blank (a partial sum would be a wrong number). Reports that give none of a measure's
    codes have no row for it.
-#}
with reports as (
    select report_id, template_version from {{ ref('int_reports_described') }}
    where {{ in_reports_to_build('affected') }}
),

measure_codes as (
    select * from {{ ref('harmonized_measures') }}
),

total_values as (
    select report_id, indicator_code, value, is_approximate, source_kind
    from {{ ref('fct_indicator_values') }}
    where {{ in_reports_to_build('affected') }}
        and (applicant_type = 'total')
),

report_measure_codes as (
    select
        reports.report_id,
        reports.template_version,
        measure_codes.measure,
        measure_codes.indicator_code,
        total_values.value,
        total_values.is_approximate,
        total_values.source_kind
    from reports
    inner join measure_codes on reports.template_version = measure_codes.template_version
    left join total_values
        on reports.report_id = total_values.report_id
        and measure_codes.indicator_code = total_values.indicator_code
),

final as (
    select
        report_id,
        measure,
        min(template_version) as template_version,
        case when count(value) = count(*) then sum(value) end as value,
        {{ string_agg_ordered('indicator_code', 'indicator_code', "' + '") }} as indicator_codes,
        count(*) as code_count,
        count(value) as given_code_count,
        coalesce(bool_or(is_approximate), false) as is_approximate,
        case when count(distinct source_kind) = 1 then min(source_kind) else 'mixed' end as source_kind
    from report_measure_codes
    group by report_id, measure
    having count(value) > 0
)

select * from final
