{#-
    Issuers ranked by the applications they received over all their years (`zfxxgk overview` charts the first 15):
    the issuer-years of mart_issuer_year_panel that give applications_received and whose report has no consistency
    error (worst_severity error), summed per issuer_key. The name is the one of the issuer's latest such year.
-#}
with panel as (
    select * from {{ ref('mart_issuer_year_panel') }}
    where applications_received is not null and worst_severity is distinct from 'error'
),

issuer_totals as (
    select
        issuer_key,
        max_by(issuer, report_year) as issuer,
        cast(sum(applications_received) as bigint) as applications_received,
        count(*) as year_count,
        min(report_year) as first_year,
        max(report_year) as last_year
    from panel
    group by issuer_key
),

final as (
    select
        row_number() over (order by applications_received desc, issuer_key) as issuer_rank,
        issuer_key,
        issuer,
        applications_received,
        year_count,
        first_year,
        last_year
    from issuer_totals
)

select * from final
