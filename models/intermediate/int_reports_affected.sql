{#-
    The reports this build rebuilds in the models that read across an issuer's years (meta rebuild_scope
    'affected'): the changed reports, plus every report of an issuer that a changed report has now
    (int_reports_described) or had at the last build. The digit-run splitter settles a run by the issuer's report
    of the year before or after, and a settled run can settle the next year's in turn, so all the issuer's years
    are rebuilt; the carried-over rule pairs consecutive years of one issuer.
-#}
{{ config(materialized='table') }}

with changed_reports as (
    select * from {{ ref('int_reports_changed') }}
),

described_reports as (
    select * from {{ ref('int_reports_described') }}
),

touched_issuers as (
    select described_reports.issuer_key
    from described_reports
    inner join changed_reports on described_reports.report_id = changed_reports.report_id
    where described_reports.issuer_key is not null

    union

    select built_issuer_key as issuer_key
    from changed_reports
    where built_issuer_key is not null
),

final as (
    select report_id
    from changed_reports

    union

    select described_reports.report_id
    from described_reports
    inner join touched_issuers on described_reports.issuer_key = touched_issuers.issuer_key
)

select * from final
