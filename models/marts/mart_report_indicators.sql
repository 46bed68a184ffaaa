{#-
    The table a BI tool opens first: one row per report, its metadata and quality summary (dim_reports), then one
    column per indicator code of seed indicators (named as the code) holding its value at applicant_type total.
    A NULL is a figure the report does not give or leaves blank. Counts are whole numbers (bigint); money and
    shares keep every printed digit (decimal(38, 10)). The columns follow the seed when the model
    compiles: a code added to the seed becomes a column on the next build.
-#}
{{ config(materialized='incremental', meta={'rebuild_scope': 'affected'}, post_hook="{{ comment_report_indicator_columns() }}") }}
-- depends_on: {{ ref('units') }}
{%- set indicator_codes = seed_rows('indicators', ['code']) | map(attribute=0) | list %}
{%- set count_codes = count_indicator_codes() %}
{%- set cumulative_codes = cumulative_indicator_codes() %}

with reports as (
    select * from {{ ref('dim_reports') }}
    where {{ in_reports_to_build('affected') }}
),

total_values as (
    select report_id, indicator_code, value
    from {{ ref('fct_indicator_values') }}
    where {{ in_reports_to_build('affected') }}
        and (applicant_type = 'total')
),

report_values as (
    select
        report_id,
        -- the year's figures only: a cumulative (累计) column is no figure of the year
        count(case when indicator_code not in ('{{ cumulative_codes | join("', '") }}') then value end)
            as indicator_value_count
        {%- for code in indicator_codes %},
        max(case when indicator_code = '{{ code }}' then value end) as {{ code }}
        {%- endfor %}
    from total_values
    group by report_id
),

final as (
    select
        reports.*,
        coalesce(report_values.indicator_value_count, 0) as indicator_value_count
        {%- for code in indicator_codes %},
        {% if code in count_codes -%}
        {{ whole_number('report_values.' ~ code) }} as {{ code }}
        {%- else -%}
        report_values.{{ code }}
        {%- endif %}
        {%- endfor %}
    from reports
    left join report_values on reports.report_id = report_values.report_id
)

select * from final
