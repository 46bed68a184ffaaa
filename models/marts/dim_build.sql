{#-
    The build a warehouse file holds: one row, stamped by dbt when it builds the marts. The published file is
    replaced as a whole, so every mart a reader sees belongs to this build.
-#}
with reports as (
    select * from {{ ref('dim_reports') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

quality_issues as (
    select * from {{ ref('fct_quality_issues') }}
),

final as (
    select
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.isoformat() }}' as timestamp with time zone) as built_at,
        '{{ dbt_version }}' as dbt_version,
        (select count(*) from reports) as report_count,
        (select count(*) from indicator_values) as indicator_value_count,
        (select count(*) from quality_issues) as quality_issue_count,
        (select min(report_year) from reports) as first_report_year,
        (select max(report_year) from reports) as last_report_year
)

select * from final
