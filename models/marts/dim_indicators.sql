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

described_indicators as (
    select
        indicators.code as indicator_code,
        indicators.label_zh,
        indicators.unit,
        indicators.family,
        indicators.formats,
        '|' || indicators.formats || '|' like '%|legacy|%' as is_in_legacy,
        '|' || indicators.formats || '|' like '%|format_2019|%' as is_in_format_2019,
        '|' || indicators.formats || '|' like '%|format_2021|%' as is_in_format_2021,
        '|' || indicators.formats || '|' like '%|prose|%' as is_in_prose,
        indicators.formats = 'legacy_cumulative' as is_cumulative,
        indicators.parent_code,
        indicators.rule as parent_rule,
        coalesce(coverage.report_count, 0) as report_count
    from indicators
    left join coverage on indicators.code = coverage.indicator_code
),

-- each deprecated alias (the name before this release, removed in the next) beside its column
final as (
    select
        indicator_code,
        indicator_code as code,
        label_zh,
        unit,
        family,
        formats,
        is_in_legacy,
        is_in_legacy as in_legacy,
        is_in_format_2019,
        is_in_format_2019 as in_format_2019,
        is_in_format_2021,
        is_in_format_2021 as in_format_2021,
        is_in_prose,
        is_in_prose as in_prose,
        is_cumulative,
        parent_code,
        parent_rule,
        parent_rule as rule,
        report_count
    from described_indicators
)

select * from final
