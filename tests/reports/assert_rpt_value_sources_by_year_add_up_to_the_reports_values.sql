-- Per report_year, the values of both sources add up to the reports' indicator_value_count
-- (mart_report_indicators) and their shares to 1.
with sources as (
    select report_year, sum(value_count) as value_count, sum(value_share) as value_share
    from {{ ref('rpt_value_sources_by_year') }}
    group by report_year
),

reports as (
    select report_year, sum(indicator_value_count) as value_count
    from {{ ref('mart_report_indicators') }}
    group by report_year
    having sum(indicator_value_count) > 0
)

select
    coalesce(sources.report_year, reports.report_year) as report_year,
    sources.value_count as counted,
    reports.value_count as in_mart_report_indicators,
    sources.value_share
from sources
full outer join reports on sources.report_year is not distinct from reports.report_year
where sources.value_count is distinct from reports.value_count
    or abs(sources.value_share - 1) > 1e-9
