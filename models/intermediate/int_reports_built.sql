{#-
    What the last successful build holds: one row per report with the revision it was built from, and its issuer
    and year (so a later build knows which issuers a revised or removed report touched). Built last, after every
    mart: a build that fails on the way leaves it as it was, and the next build redoes the same reports.
-#}
-- depends_on: {{ ref('mart_build_stamp') }}
-- depends_on: {{ ref('dim_build') }}
-- depends_on: {{ ref('mart_region_year_summary') }}
-- depends_on: {{ ref('mart_report_indicators') }}
-- depends_on: {{ ref('fct_report_sections') }}
-- depends_on: {{ ref('fct_harmonized_measures') }}
-- depends_on: {{ ref('dim_indicators') }}

with reports as (
    select * from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

described_reports as (
    select * from {{ ref('int_reports_described') }}
    where {{ in_reports_to_build('changed') }}
),

-- Runs of digits the issuer's other years can narrow: ambiguous on the report alone (int_reports_affected)
cross_year_runs as (
    select distinct report_id
    from {{ ref('int_table_runs_split') }}
    where {{ in_reports_to_build('changed') }}
        and split_status in ('ambiguous', 'unique_across_years')
),

final as (
    select
        reports.report_id,
        {{ report_revision('reports') }} as revision,
        described_reports.issuer_key,
        described_reports.report_year,
        cross_year_runs.report_id is not null as has_cross_year_runs,
        cast('{{ run_started_at.isoformat() }}' as {{ instant_type() }}) as built_at
    from reports
    left join described_reports on reports.report_id = described_reports.report_id
    left join cross_year_runs on reports.report_id = cross_year_runs.report_id
)

select * from final
