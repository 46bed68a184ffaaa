-- The ranked issuers hold every issuer of the panel with applications_received in a year without a consistency
-- error, and their sums add up to the panel's.
with ranked as (
    select
        count(*) as issuer_count,
        sum(applications_received) as applications_received,
        sum(year_count) as year_count
    from {{ ref('rpt_issuer_applications') }}
),

panel as (
    select
        count(distinct issuer_key) as issuer_count,
        sum(applications_received) as applications_received,
        count(*) as year_count
    from {{ ref('mart_issuer_year_panel') }}
    where applications_received is not null and worst_severity is distinct from 'error'
)

select ranked.*, panel.issuer_count as panel_issuers
from ranked
cross join panel
where ranked.issuer_count != panel.issuer_count
    or ranked.applications_received is distinct from panel.applications_received
    or ranked.year_count != panel.year_count
