-- Per year, the issuer-years counted and excluded are the panel's, and the excluded ones are exactly those whose
-- report has a consistency error; applications_received is the sum over the others.
with counted as (
    select * from {{ ref('rpt_applications_by_year') }}
),

panel as (
    select
        report_year,
        count(*) as issuer_year_count,
        count(case when worst_severity = 'error' then 1 end) as error_count,
        sum(case when worst_severity is distinct from 'error' then applications_received end) as received
    from {{ ref('mart_issuer_year_panel') }}
    group by report_year
)

select
    coalesce(counted.report_year, panel.report_year) as report_year,
    counted.issuer_count,
    counted.excluded_issuer_count,
    panel.issuer_year_count,
    panel.error_count
from counted
full outer join panel on counted.report_year = panel.report_year
where counted.issuer_count + counted.excluded_issuer_count is distinct from panel.issuer_year_count
    or counted.excluded_issuer_count is distinct from panel.error_count
    or counted.applications_received is distinct from panel.received
