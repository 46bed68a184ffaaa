{#-
    The reports this build rebuilds in the models that read across an issuer's years (meta rebuild_scope
    'affected'): the changed reports, plus
    - every report of the same issuer in the year after a changed report's year (now or at the last build): the
      carried-over rule compares a report with the issuer's report of the year before, and records the break on
      the later one;
    - every report of an issuer whose years pair up (one report in each of two consecutive years, now or at the
      last build): the digit-run splitter settles a run by the issuer's report of the year before or after, and a
      settled run can narrow the next year's in turn, so all the issuer's years are rebuilt.
    An issuer with several reports in every year (a republished report, a corpus of copies) has no pair: only its
    next year is rebuilt.
-#}
{{ config(materialized='table') }}
{%- set built = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_reports_built') %}

with changed_reports as (
    select * from {{ ref('int_reports_changed') }}
),

described_reports as (
    select * from {{ ref('int_reports_described') }}
),

issuer_years_now as (
    select issuer_key, report_year, count(*) as report_count
    from described_reports
    where issuer_key is not null and report_year is not null
    group by issuer_key, report_year
),

issuer_years_built as (
    {%- if built is not none and not flags.FULL_REFRESH %}
    select issuer_key, report_year, count(*) as report_count
    from {{ built }}
    where issuer_key is not null and report_year is not null
    group by issuer_key, report_year
    {%- else %}
    select issuer_key, report_year, report_count from issuer_years_now where false
    {%- endif %}
),

paired_issuers as (
    select earlier.issuer_key
    from issuer_years_now as earlier
    inner join issuer_years_now as later
        on earlier.issuer_key = later.issuer_key and later.report_year = earlier.report_year + 1
    where earlier.report_count = 1 and later.report_count = 1

    union

    select earlier.issuer_key
    from issuer_years_built as earlier
    inner join issuer_years_built as later
        on earlier.issuer_key = later.issuer_key and later.report_year = earlier.report_year + 1
    where earlier.report_count = 1 and later.report_count = 1
),

touched_issuer_years as (
    select described_reports.issuer_key, described_reports.report_year
    from described_reports
    inner join changed_reports on described_reports.report_id = changed_reports.report_id
    where described_reports.issuer_key is not null

    union

    select built_issuer_key as issuer_key, built_report_year as report_year
    from changed_reports
    where built_issuer_key is not null
),

final as (
    select report_id
    from changed_reports

    union

    select described_reports.report_id
    from described_reports
    inner join touched_issuer_years
        on described_reports.issuer_key = touched_issuer_years.issuer_key
        and (
            described_reports.issuer_key in (select issuer_key from paired_issuers)
            or described_reports.report_year = touched_issuer_years.report_year + 1
        )
)

select * from final
