{#-
    The indicator dictionary (seed indicators, seeds/contract/indicators.csv: the indicator contract) as a table analysts
    can join, with the generations each code belongs to and how many reports give it.
-#}
with indicators as (
    select * from {{ ref('indicators') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

coverage as (
    select
        indicator_code,
        count(distinct report_id) as report_count
    from indicator_values
    where applicant_type = 'total' and value is not null
    group by indicator_code
),

final as (
    select
        indicators.code,
        indicators.label_zh,
        indicators.unit,
        indicators.family,
        indicators.formats,
        '|' || indicators.formats || '|' like '%|legacy|%' as in_legacy,
        '|' || indicators.formats || '|' like '%|format_2019|%' as in_format_2019,
        '|' || indicators.formats || '|' like '%|format_2021|%' as in_format_2021,
        '|' || indicators.formats || '|' like '%|prose|%' as in_prose,
        indicators.formats = 'legacy_cumulative' as is_cumulative,
        indicators.parent_code,
        indicators.rule,
        coalesce(coverage.report_count, 0) as report_count
    from indicators
    left join coverage on indicators.code = coverage.indicator_code
)

select * from final
