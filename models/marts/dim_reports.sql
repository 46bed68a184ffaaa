with reports as (
    select * from {{ ref('stg_reports') }}
),

headers as (
    select * from {{ ref('int_report_headers_parsed') }}
),

regions as (
    select * from {{ ref('int_report_regions_resolved') }}
),

dates as (
    select
        report_id,
        {{ date_from_parts(
            "try_cast(" ~ regexp_extract('header_date_text', string_literal('^(\d{4})'), 1) ~ " as integer)",
            "try_cast(" ~ regexp_extract('header_date_text', string_literal('^\d{4}\D+(\d{1,2})'), 1) ~ " as integer)",
            "try_cast(" ~ regexp_extract('header_date_text', string_literal('^\d{4}\D+\d{1,2}\D+(\d{1,2})'), 1) ~ " as integer)"
        ) }} as header_date,
        {{ date_from_parts(
            "try_cast(" ~ regexp_extract('signature_date_text', string_literal('^(\d{4})'), 1) ~ " as integer)",
            "try_cast(" ~ regexp_extract('signature_date_text', string_literal('^\d{4}\D+(\d{1,2})'), 1) ~ " as integer)",
            "try_cast(" ~ regexp_extract('signature_date_text', string_literal('^\d{4}\D+\d{1,2}\D+(\d{1,2})'), 1) ~ " as integer)"
        ) }} as signature_date
    from headers
),

final as (
    select
        reports.report_id,
        reports.source_path,
        reports.source_path_count,
        headers.title,
        regions.issuer,
        headers.report_year,
        coalesce(dates.header_date, dates.signature_date) as publish_date,
        regions.province,
        regions.city,
        regions.county,
        regions.region_code,
        regions.admin_level,
        case
            when headers.report_year <= 2018 then 'legacy'
            when headers.has_2021_table_cue then 'format_2021'
            when headers.has_2019_table_cue then 'format_2019'
            when headers.report_year >= 2021 then 'format_2021'
            when headers.report_year >= 2019 then 'format_2019'
        end as template_version,
        reports.script,
        headers.has_disclosure_cue and headers.has_annual_report_cue as is_annual_report,
        case
            when not headers.has_disclosure_cue then 'no_disclosure_cue'
            when not headers.has_annual_report_cue then 'no_annual_report_cue'
        end as not_annual_report_reason,
        reports.raw_char_count,
        reports.char_count
    from reports
    inner join headers on reports.report_id = headers.report_id
    inner join regions on reports.report_id = regions.report_id
    left join dates on reports.report_id = dates.report_id
)

select * from final
