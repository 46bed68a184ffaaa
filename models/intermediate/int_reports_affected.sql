{#-
    The reports this build rebuilds in the models that read across an issuer's years (meta rebuild_scope
    'affected'): the changed reports, plus the neighbouring years they can reach.
    - The digit-run splitter narrows a run still ambiguous by the issuer's report of the year before or after, and
      a narrowed run narrows the next year's in turn. A chain of years passes only through reports whose runs the
      other years can narrow (int_reports_built.has_cross_year_runs at the last build; a changed report counts as
      one): the open years. A changed report's year rebuilds its island of consecutive open years, and the year
      on each side of it, which the splitter reads as input.
    - The carried-over rule compares a report with the issuer's report of the year before and records the break
      on the later one: the year after a changed report is in that range.
    Years are the issuer's now and at the last build (a revised or removed report touches the issuer and year the
    last build gave it). A report with no issuer or no year reaches no other report. Reports landed but left to a
    later batch are not reached: each batch reaches back to the reports built before it.
-#}
{{ config(materialized='table') }}
{%- set built = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_reports_built') %}

with changed_reports as (
    select * from {{ ref('int_reports_changed') }}
),

-- The reports built before or now: a report landed but left to a later batch (var report_batch_size) is built
-- there, as a changed report that reaches these in turn.
described_reports as (
    select * from {{ ref('int_reports_described') }}
    where report_id in (select report_id from changed_reports)
        {%- if built is not none and not flags.FULL_REFRESH %}
        or report_id in (select report_id from {{ built }})
        {%- endif %}
),

built_reports as (
    {%- if built is not none and not flags.FULL_REFRESH %}
    select report_id, has_cross_year_runs from {{ built }}
    {%- else %}
    select report_id, true as has_cross_year_runs from changed_reports where false
    {%- endif %}
),

touched_issuer_years as (
    select described_reports.issuer_key, described_reports.report_year
    from described_reports
    inner join changed_reports on described_reports.report_id = changed_reports.report_id
    where described_reports.issuer_key is not null and described_reports.report_year is not null

    union

    select built_issuer_key as issuer_key, built_report_year as report_year
    from changed_reports
    where built_issuer_key is not null and built_report_year is not null
),

-- A year is open when one of its reports changed, or had runs its neighbours can narrow at the last build.
open_issuer_years as (
    select described_reports.issuer_key, described_reports.report_year
    from described_reports
    left join built_reports on described_reports.report_id = built_reports.report_id
    where described_reports.issuer_key is not null
        and described_reports.report_year is not null
        and (
            described_reports.report_id in (select report_id from changed_reports)
            or built_reports.has_cross_year_runs
        )

    union

    select issuer_key, report_year from touched_issuer_years
),

-- Islands of consecutive open years: a year minus its rank among the issuer's open years is constant on each.
open_year_islands as (
    select
        issuer_key,
        min(report_year) as first_year,
        max(report_year) as last_year
    from (
        select
            issuer_key,
            report_year,
            report_year - row_number() over (partition by issuer_key order by report_year) as island_key
        from open_issuer_years
    ) as ranked_years
    group by issuer_key, island_key
),

affected_ranges as (
    select distinct
        open_year_islands.issuer_key,
        open_year_islands.first_year - 1 as first_year,
        open_year_islands.last_year + 1 as last_year
    from open_year_islands
    inner join touched_issuer_years
        on open_year_islands.issuer_key = touched_issuer_years.issuer_key
        and touched_issuer_years.report_year between open_year_islands.first_year and open_year_islands.last_year
),

final as (
    select report_id
    from changed_reports

    union

    select described_reports.report_id
    from described_reports
    inner join affected_ranges
        on described_reports.issuer_key = affected_ranges.issuer_key
        and described_reports.report_year between affected_ranges.first_year and affected_ranges.last_year
)

select * from final
