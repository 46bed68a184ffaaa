{#-
    Indicator coverage per family and template (`zfxxgk overview`): of the values a template's reports could give
    (the codes of the family whose dim_indicators.formats name the template, times the reports of the template),
    how many they give at applicant_type total with a value. The templates come from seed template_versions;
    reports without a template_version expect nothing and are left out.
-#}
with reports as (
    select report_id, template_version from {{ ref('dim_reports') }}
    where template_version is not null
),

template_versions as (
    select * from {{ ref('template_versions') }}
),

indicators as (
    select indicator_code, family, formats from {{ ref('dim_indicators') }}
),

template_codes as (
    select
        template_versions.template_version,
        template_versions.template_order,
        indicators.indicator_code,
        indicators.family
    from template_versions
    inner join indicators
        on '|' || indicators.formats || '|' like '%|' || template_versions.template_version || '|%'
),

expected_values as (
    select
        reports.report_id,
        template_codes.template_version,
        template_codes.template_order,
        template_codes.indicator_code,
        template_codes.family
    from reports
    inner join template_codes on reports.template_version = template_codes.template_version
),

given_values as (
    select distinct report_id, indicator_code
    from {{ ref('fct_indicator_values') }}
    where applicant_type = 'total' and value is not null
),

final as (
    select
        expected_values.family,
        expected_values.template_version,
        expected_values.template_order,
        count(distinct expected_values.indicator_code) as code_count,
        count(distinct expected_values.report_id) as report_count,
        count(*) as expected_count,
        count(given_values.indicator_code) as given_count,
        cast(count(given_values.indicator_code) as double) / count(*) as coverage
    from expected_values
    left join given_values
        on expected_values.report_id = given_values.report_id
        and expected_values.indicator_code = given_values.indicator_code
    group by expected_values.family, expected_values.template_version, expected_values.template_order
)

select * from final
