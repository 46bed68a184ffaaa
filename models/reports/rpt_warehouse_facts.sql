{#-
    One row: the headline facts of the warehouse (the header of `zfxxgk overview`), from dim_reports, the landed
    files (stg_report_sources) and the build (mart_build_stamp).
-#}
with reports as (
    select * from {{ ref('dim_reports') }}
),

report_sources as (
    select * from {{ ref('stg_report_sources') }}
),

build as (
    select * from {{ ref('mart_build_stamp') }}
),

report_facts as (
    select
        count(*) as report_count,
        count(case when is_annual_report then 1 end) as annual_report_count,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year,
        count(distinct report_year) as report_year_count,
        count(distinct issuer_key) as issuer_count
    from reports
),

ingest_facts as (
    select max(loaded_at) as last_loaded_at from report_sources
),

final as (
    select
        report_facts.report_count,
        report_facts.annual_report_count,
        report_facts.first_report_year,
        report_facts.last_report_year,
        report_facts.report_year_count,
        report_facts.issuer_count,
        ingest_facts.last_loaded_at,
        build.built_at
    from report_facts
    cross join ingest_facts
    cross join build
)

select * from final
