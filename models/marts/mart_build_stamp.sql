{#-
    The build a warehouse file holds: one row, stamped by dbt when it builds the marts. The published file is
    replaced as a whole, so every mart a reader sees belongs to this build. A build rebuilds only the reports
    that changed since the one before (macros/incremental_reports.sql); project_fingerprint tells the next build
    whether the project itself changed, so that everything is rebuilt.
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

changed_reports as (
    select * from {{ ref('int_reports_changed') }}
),

final as (
    select
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.isoformat() }}' as {{ instant_type() }}) as built_at,
        '{{ dbt_version }}' as dbt_version,
        (select count(*) from reports) as report_count,
        (select count(*) from indicator_values) as indicator_value_count,
        (select count(*) from quality_issues) as quality_issue_count,
        (select min(report_year) from reports) as first_report_year,
        (select max(report_year) from reports) as last_report_year,
        cast({{ "'" ~ var('project_fingerprint') ~ "'" if var('project_fingerprint', none) else 'null' }} as string)
            as project_fingerprint,
        {{ 'true' if flags.FULL_REFRESH or not adapter.get_relation(database=this.database,
            schema='intermediate', identifier='int_reports_built') else 'false' }} as is_full_rebuild,
        (select count(*) from changed_reports where change = 'new') as new_report_count,
        (select count(*) from changed_reports where change = 'revised') as revised_report_count,
        (select count(*) from changed_reports where change = 'removed') as removed_report_count
)

select * from final
