{#-
    Where the figures come from, per report year (`zfxxgk overview`): the indicator values the reports give at
    applicant_type total with a value (fct_indicator_values; the cumulative codes of local legacy tables left out,
    as in mart_report_indicators.indicator_value_count) per source_kind (table or prose) and report_year
    (dim_reports; null when the text does not settle it), with their share of the year's values.
-#}
with indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where applicant_type = 'total' and value is not null
),

indicators as (
    select indicator_code from {{ ref('dim_indicators') }}
    where not is_cumulative
),

reports as (
    select report_id, report_year from {{ ref('dim_reports') }}
),

source_counts as (
    select
        reports.report_year,
        indicator_values.source_kind,
        count(*) as value_count,
        count(distinct indicator_values.report_id) as report_count
    from indicator_values
    inner join indicators on indicator_values.indicator_code = indicators.indicator_code
    inner join reports on indicator_values.report_id = reports.report_id
    group by reports.report_year, indicator_values.source_kind
),

final as (
    select
        report_year,
        source_kind,
        value_count,
        report_count,
        cast(value_count as double) / cast(sum(value_count) over (partition by report_year) as double)
            as value_share
    from source_counts
)

select * from final
