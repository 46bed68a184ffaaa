-- The header's facts are the build's (mart_build_stamp) and dim_reports': one row, the same counts and years.
with facts as (
    select * from {{ ref('rpt_warehouse_facts') }}
),

build as (
    select * from {{ ref('mart_build_stamp') }}
),

reports as (
    select count(distinct report_year) as report_year_count, count(distinct issuer_key) as issuer_count
    from {{ ref('dim_reports') }}
)

select facts.*
from facts
cross join build
cross join reports
where facts.report_count != build.report_count
    or facts.first_report_year is distinct from build.first_report_year
    or facts.last_report_year is distinct from build.last_report_year
    or facts.report_year_count != reports.report_year_count
    or facts.issuer_count != reports.issuer_count
    or facts.built_at != build.built_at
    or (select count(*) from facts) != 1
