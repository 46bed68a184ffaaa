-- Every family of a template counts all the template's reports of dim_reports, and every template of seed
-- template_versions that has reports and codes is there.
with coverage as (
    select family, template_version, report_count from {{ ref('rpt_indicator_coverage') }}
),

template_reports as (
    select template_version, count(*) as report_count
    from {{ ref('dim_reports') }}
    where template_version is not null
    group by template_version
),

template_families as (
    select distinct template_versions.template_version, indicators.family
    from {{ ref('template_versions') }} as template_versions
    inner join {{ ref('dim_indicators') }} as indicators
        on '|' || indicators.formats || '|' like '%|' || template_versions.template_version || '|%'
),

expected as (
    select template_families.family, template_families.template_version, template_reports.report_count
    from template_families
    inner join template_reports on template_families.template_version = template_reports.template_version
)

select
    coalesce(coverage.family, expected.family) as family,
    coalesce(coverage.template_version, expected.template_version) as template_version,
    coverage.report_count as counted,
    expected.report_count as in_dim_reports
from coverage
full outer join expected
    on coverage.family = expected.family and coverage.template_version = expected.template_version
where coverage.report_count is distinct from expected.report_count
