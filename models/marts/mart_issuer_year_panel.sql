{#-
    Issuer x year: one row per issuer_key and report_year, with the issuer's region and level and the harmonized
    measures of fct_harmonized_measures as columns (seed harmonized_measures), plus the rates of seed
    harmonized_rates (disclosure_share, correction rates). A rate is null when its numerator or denominator is, when
    the denominator is 0, or when it would exceed 1 (the report breaks its own arithmetic: see fct_quality_issues).
    When an issuer-year has several reports (a republished or corrected version), the one with the most indicator
    values is used, then the latest published, then the first report_id; report_count says how many there were.
    Reports without an issuer_key or a report_year are left out. Counts are whole numbers (bigint); money keeps
    every printed digit. rates_missing_reason says why each null rate is null, from the cells of the codes that
    make its measures: `disclosure_share: answer_partially_disclosed blank; litigation_correction_rate:
    litigation_total not given`.
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

rates as (
    select * from {{ ref('harmonized_rates') }}
),

measure_codes as (
    select * from {{ ref('harmonized_measures') }}
),

total_cells as (
    select report_id, indicator_code, cell_meaning
    from {{ ref('fct_indicator_values') }}
    where applicant_type = 'total'
),

rate_parts as (
    select rate, 1 as part_no, numerator_measure as measure from rates
    union all
    select rate, 2 as part_no, denominator_measure as measure from rates
),

{# every code of every measure of every rate, for the report used, with its cell: null when not given #}
rate_part_cells as (
    select
        ranked_reports.report_id,
        rate_parts.rate,
        rate_parts.part_no,
        rate_parts.measure,
        measure_codes.indicator_code,
        total_cells.cell_meaning
    from ranked_reports
    inner join reports on ranked_reports.report_id = reports.report_id
    cross join rate_parts
    left join measure_codes
        on rate_parts.measure = measure_codes.measure
        and reports.template_version = measure_codes.template_version
    left join total_cells
        on ranked_reports.report_id = total_cells.report_id
        and measure_codes.indicator_code = total_cells.indicator_code
    where ranked_reports.report_rank = 1
),

{# why a measure has no value: none of its codes given, or the codes that are blank, not applicable... #}
measure_gaps as (
    select
        report_id,
        rate,
        part_no,
        measure,
        case
            when count(cell_meaning) = 0 then measure || ' not given'
            else {{ string_agg_ordered(
                "case when cell_meaning is distinct from 'reported' then indicator_code || ' ' || coalesce(cell_meaning, 'not given') end",
                'indicator_code', "', '") }}
        end as gap
    from rate_part_cells
    group by report_id, rate, part_no, measure
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

report_rates as (
    select
        reports.report_id
        {%- for rate in rates %},
        {{ bounded_share('report_measures.' ~ rate[1], 'report_measures.' ~ rate[2]) }} as {{ rate[0] }}
        {%- endfor %}
    from reports
    left join report_measures on reports.report_id = report_measures.report_id
),

{# a null rate whose measures are all given is null by arithmetic: a zero denominator or a share above 1 #}
rate_reasons as (
    select
        measure_gaps.report_id,
        measure_gaps.rate,
        coalesce(
            {{ string_agg_ordered('measure_gaps.gap', 'measure_gaps.part_no', "', '") }},
            case
                when min(case when measure_gaps.part_no = 2 then report_measures.value end) = 0
                    then min(case when measure_gaps.part_no = 2 then measure_gaps.measure end) || ' is 0'
                else min(case when measure_gaps.part_no = 1 then measure_gaps.measure end) || ' exceeds '
                    || min(case when measure_gaps.part_no = 2 then measure_gaps.measure end)
            end
        ) as reason
    from measure_gaps
    left join measures as report_measures
        on measure_gaps.report_id = report_measures.report_id
        and measure_gaps.measure = report_measures.measure
    group by measure_gaps.report_id, measure_gaps.rate
),

rates_missing as (
    select
        rate_reasons.report_id,
        {{ string_agg_ordered("rate_reasons.rate || ': ' || rate_reasons.reason", 'rate_reasons.rate', "'; '") }}
            as rates_missing_reason
    from rate_reasons
    inner join report_rates on rate_reasons.report_id = report_rates.report_id
    where
        {%- for rate in rates %}
        {% if not loop.first %}or {% endif %}(rate_reasons.rate = '{{ rate[0] }}' and report_rates.{{ rate[0] }} is null)
        {%- endfor %}
    group by rate_reasons.report_id
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
        report_rates.{{ rate[0] }}
        {%- endfor %},
        rates_missing.rates_missing_reason
    from reports
    inner join ranked_reports on reports.report_id = ranked_reports.report_id and ranked_reports.report_rank = 1
    left join report_measures on reports.report_id = report_measures.report_id
    inner join report_rates on reports.report_id = report_rates.report_id
    left join rates_missing on reports.report_id = rates_missing.report_id
)

select * from final
