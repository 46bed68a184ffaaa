{#-
    Issuer x year: one row per issuer_key and report_year, with the issuer's region and level and the harmonized
    measures of fct_harmonized_measures as columns (seed harmonized_measures), plus the rates of seed
    harmonized_rates (disclosure_share, correction rates). A rate is null when its numerator or denominator is, when
    the denominator is 0, or when it would exceed 1 (the report breaks its own arithmetic: see fct_quality_issues).
    When an issuer-year has several reports (a republished or corrected version), the one with the most indicator
    values is used, then the latest published, then the first report_id; report_count says how many there were.
    Reports without an issuer_key or a report_year are left out. Counts are whole numbers (bigint); money keeps
    every printed digit.
-#}
{%- set measures = seed_rows('harmonized_measures', ['measure'], order_by='measure') | map(attribute=0) | unique | list %}
{%- set rates = seed_rows('harmonized_rates', ['rate', 'numerator_measure', 'denominator_measure']) %}
{#- a measure is a count when every code that makes it is one -#}
{%- set count_measures = count_measures() %}

with reports as (
    select * from {{ ref('mart_report_indicators') }}
    where issuer_key is not null and report_year is not null
),

measures as (
    select * from {{ ref('fct_harmonized_measures') }}
),

ranked_reports as (
    select
        report_id,
        count(*) over (partition by issuer_key, report_year) as report_count,
        row_number() over (
            partition by issuer_key, report_year
            order by indicator_value_count desc, publish_date desc nulls last, report_id
        ) as report_rank
    from reports
),

report_measures as (
    select
        report_id
        {%- for measure in measures %},
        max(case when measure = '{{ measure }}' then value end) as {{ measure }}
        {%- endfor %}
    from measures
    group by report_id
),

final as (
    select
        reports.issuer_key,
        reports.report_year,
        reports.issuer,
        reports.province,
        reports.city,
        reports.county,
        reports.region_code,
        reports.admin_level,
        reports.template_version,
        reports.report_id,
        ranked_reports.report_count,
        reports.indicator_value_count,
        reports.quality_error_count,
        reports.worst_severity
        {%- for measure in measures %},
        {% if measure in count_measures -%}
        {{ whole_number('report_measures.' ~ measure) }} as {{ measure }}
        {%- else -%}
        report_measures.{{ measure }}
        {%- endif %}
        {%- endfor %}
        {%- for rate in rates %},
        {{ bounded_share('report_measures.' ~ rate[1], 'report_measures.' ~ rate[2]) }} as {{ rate[0] }}
        {%- endfor %}
    from reports
    inner join ranked_reports on reports.report_id = ranked_reports.report_id and ranked_reports.report_rank = 1
    left join report_measures on reports.report_id = report_measures.report_id
)

select * from final
