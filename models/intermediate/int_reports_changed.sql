{#-
    The reports this build rebuilds in every per-report model (macros/incremental_reports.sql): one row per report
    that is new, revised or removed since the last successful build (int_reports_built), with the issuer and year
    the last build gave it. Every report on a first build or a full refresh (`zfxxgk build --full-refresh`).
    With the var report_batch_size, at most that many new or revised reports (every removed one goes in the first
    batch): `zfxxgk build` builds a big corpus batch by batch, so memory stays bounded. Batches follow the reports'
    canonical paths, so an issuer's years, which its folders usually keep side by side, are built in the same batch
    and a batch seldom reaches back to the reports of an earlier one (int_reports_affected).
-#}
{{ config(materialized='table') }}
{%- set built = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_reports_built') %}
{%- set from_scratch = built is none or flags.FULL_REFRESH %}

with reports as (
    select * from {{ ref('stg_reports') }}
),

current_revisions as (
    select
        reports.report_id,
        reports.source_path,
        {{ report_revision('reports') }} as revision
    from reports
),

{%- if from_scratch %}

changes as (
    select
        report_id,
        'new' as change,
        cast(null as string) as built_issuer_key,
        cast(null as integer) as built_report_year,
        source_path
    from current_revisions
),

{%- else %}

built_revisions as (
    select * from {{ built }}
),

changes as (
    select
        current_revisions.report_id,
        case when built_revisions.report_id is null then 'new' else 'revised' end as change,
        built_revisions.issuer_key as built_issuer_key,
        built_revisions.report_year as built_report_year,
        current_revisions.source_path
    from current_revisions
    left join built_revisions on current_revisions.report_id = built_revisions.report_id
    where built_revisions.revision is distinct from current_revisions.revision

    union all

    select
        built_revisions.report_id,
        'removed' as change,
        built_revisions.issuer_key as built_issuer_key,
        built_revisions.report_year as built_report_year,
        cast(null as string) as source_path
    from built_revisions
    anti join current_revisions on built_revisions.report_id = current_revisions.report_id
),

{%- endif %}

final as (
    select report_id, change, built_issuer_key, built_report_year
    from changes
    {%- if var('report_batch_size', none) %}
    qualify change = 'removed'
        or row_number() over (partition by change = 'removed' order by source_path, report_id)
            <= {{ var('report_batch_size') | int }}
    {%- endif %}
)

select * from final
