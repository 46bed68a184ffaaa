{#-
    Applications and the pooled disclosure share per year (`zfxxgk overview`), over the issuer-years of
    mart_issuer_year_panel whose report has no consistency error (worst_severity error: its own figures contradict
    each other), as the panel query of docs/queries.md reads it; excluded_issuer_count says how many were left out.
    One row per report_year of the panel.
-#}
with panel as (
    select
        report_year,
        coalesce(worst_severity = 'error', false) as has_error,
        applications_received,
        applications_disclosed,
        applications_decided,
        disclosure_share
    from {{ ref('mart_issuer_year_panel') }}
),

panel_years as (
    select distinct report_year from panel
),

kept_years as (
    select
        report_year,
        count(*) as issuer_count,
        count(applications_received) as received_issuer_count,
        cast(sum(applications_received) as bigint) as applications_received,
        count(disclosure_share) as share_issuer_count,
        cast(sum(case when disclosure_share is not null then applications_disclosed end) as double)
            / cast(sum(case when disclosure_share is not null then applications_decided end) as double)
            as pooled_disclosure_share
    from panel
    where not has_error
    group by report_year
),

excluded_years as (
    select
        report_year,
        count(*) as excluded_issuer_count
    from panel
    where has_error
    group by report_year
),

final as (
    select
        panel_years.report_year,
        coalesce(kept_years.issuer_count, 0) as issuer_count,
        coalesce(excluded_years.excluded_issuer_count, 0) as excluded_issuer_count,
        coalesce(kept_years.received_issuer_count, 0) as received_issuer_count,
        kept_years.applications_received,
        coalesce(kept_years.share_issuer_count, 0) as share_issuer_count,
        kept_years.pooled_disclosure_share
    from panel_years
    left join kept_years on panel_years.report_year = kept_years.report_year
    left join excluded_years on panel_years.report_year = excluded_years.report_year
)

select * from final
