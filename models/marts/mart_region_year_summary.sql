{#-
    Region x year for maps and trends: one row per province, and per prefecture-level city where the issuers'
    divisions resolve to one, and report year, rolled up from mart_issuer_year_panel. Measures are sums over the
    issuers whose reports are in the corpus (not the region's official total), counts as whole numbers (bigint); a
    rate is recomputed from the summed numerators and denominators of the issuers that give both.
-#}
{%- set measures = seed_rows('harmonized_measures', ['measure'], order_by='measure') | map(attribute=0) | unique | list %}
{%- set rates = seed_rows('harmonized_rates', ['rate', 'numerator_measure', 'denominator_measure']) %}
{%- set count_measures = count_measures() %}

with panel as (
    select * from {{ ref('mart_issuer_year_panel') }}
    where region_code is not null
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

-- one division per code (a code reused over time keeps its current division)
divisions as (
    select
        code,
        min_by(name, coalesce(valid_to_year, 9999) * 100000 - division_id) as name,
        min_by(level, coalesce(valid_to_year, 9999) * 100000 - division_id) as level,
        min_by(parent_code, coalesce(valid_to_year, 9999) * 100000 - division_id) as parent_code,
        min_by(province_code, coalesce(valid_to_year, 9999) * 100000 - division_id) as province_code
    from admin_divisions
    group by code
),

panel_regions as (
    select
        panel.*,
        divisions.province_code,
        case
            when divisions.level = 'city' then divisions.code
            when divisions.level = 'county' and parents.level = 'city' then parents.code
        end as city_code
    from panel
    inner join divisions on panel.region_code = divisions.code
    left join divisions as parents on divisions.parent_code = parents.code
),

region_rows as (
    select 'province' as region_level, province_code as rollup_code, * from panel_regions
    union all
    select 'city' as region_level, city_code as rollup_code, * from panel_regions
    where city_code is not null
),

final as (
    select
        region_rows.rollup_code as region_code,
        max(divisions.name) as region_name,
        region_rows.region_level,
        region_rows.report_year,
        count(distinct region_rows.report_id) as report_count,
        count(distinct region_rows.issuer_key) as issuer_count,
        count(distinct case when region_rows.quality_error_count > 0 then region_rows.report_id end)
            as error_report_count,
        -- deprecated alias of error_report_count (its name before this release), removed in the next
        count(distinct case when region_rows.quality_error_count > 0 then region_rows.report_id end)
            as reports_with_errors
        {%- for measure in measures %},
        {% if measure in count_measures -%}
        cast(sum(region_rows.{{ measure }}) as bigint) as {{ measure }},
        {%- else -%}
        sum(region_rows.{{ measure }}) as {{ measure }},
        {%- endif %}
        count(region_rows.{{ measure }}) as {{ measure }}_issuer_count,
        -- deprecated alias of {{ measure }}_issuer_count (its name before this release), removed in the next
        count(region_rows.{{ measure }}) as {{ measure }}_issuers
        {%- endfor %}
        {%- for rate in rates %},
        {{ bounded_share(
            'sum(case when region_rows.' ~ rate[2] ~ ' is not null then region_rows.' ~ rate[1] ~ ' end)',
            'sum(case when region_rows.' ~ rate[1] ~ ' is not null then region_rows.' ~ rate[2] ~ ' end)'
        ) }} as {{ rate[0] }}
        {%- endfor %}
    from region_rows
    inner join divisions on region_rows.rollup_code = divisions.code
    group by region_rows.rollup_code, region_rows.region_level, region_rows.report_year
)

select * from final
