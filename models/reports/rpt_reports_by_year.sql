{#-
    Reports per template, admin level and year (the first chart of `zfxxgk overview`): dim_reports counted, with
    the order of the template (seed template_versions) and of the level (seed admin_levels). A value the text does
    not settle stays null and is counted as such.
-#}
with reports as (
    select * from {{ ref('dim_reports') }}
),

template_versions as (
    select * from {{ ref('template_versions') }}
),

admin_levels as (
    select * from {{ ref('admin_levels') }}
),

report_counts as (
    select
        template_version,
        admin_level,
        report_year,
        count(*) as report_count
    from reports
    group by template_version, admin_level, report_year
),

final as (
    select
        report_counts.template_version,
        template_versions.template_order,
        report_counts.admin_level,
        admin_levels.level_order,
        report_counts.report_year,
        report_counts.report_count
    from report_counts
    left join template_versions on report_counts.template_version = template_versions.template_version
    left join admin_levels on report_counts.admin_level = admin_levels.admin_level
)

select * from final
