-- rpt_reports_by_year counts every row of dim_reports once: per template, level and year the counts agree.
with counted as (
    select template_version, admin_level, report_year, report_count
    from {{ ref('rpt_reports_by_year') }}
),

reports as (
    select template_version, admin_level, report_year, count(*) as report_count
    from {{ ref('dim_reports') }}
    group by template_version, admin_level, report_year
)

select
    coalesce(counted.template_version, reports.template_version) as template_version,
    coalesce(counted.admin_level, reports.admin_level) as admin_level,
    coalesce(counted.report_year, reports.report_year) as report_year,
    counted.report_count as counted,
    reports.report_count as in_dim_reports
from counted
full outer join reports
    on counted.template_version is not distinct from reports.template_version
    and counted.admin_level is not distinct from reports.admin_level
    and counted.report_year is not distinct from reports.report_year
where counted.report_count is distinct from reports.report_count
