{#-
    Everything the warehouse knows about a report as a whole: file, title, issuer, year, publication date,
    region, level and template. marts.dim_reports adds the report's quality summary.
-#}
with reports as (
    select * from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

regions as (
    select * from {{ ref('int_report_regions_resolved') }}
    where {{ in_reports_to_build('changed') }}
),

chinese_numerals as (
    select * from {{ ref('chinese_numerals') }}
),

reader_document_kinds as (
    select * from {{ ref('reader_document_kinds') }}
),

{%- set year_part = string_literal('^([0-9〇○零一二三四五六七八九]{4})') -%}
{%- set month_part = string_literal('^[^年/.-]{4}\s*[年/.-]\s*([0-9一二三四五六七八九十]{1,3})') -%}
{%- set day_part = string_literal('^[^年/.-]{4}\s*[年/.-]\s*[^月/.-]{1,3}\s*[月/.-]\s*([0-9一二三四五六七八九十]{1,3})') %}

date_texts as (
    select report_id, 'header' as date_source, header_date_text as date_text from headers
    where header_date_text is not null
    union all
    select report_id, 'signature' as date_source, signature_date_text as date_text from headers
    where signature_date_text is not null
),

date_parts as (
    -- digits (2019年2月14日, 2016-03-28) or Chinese numerals (二〇一九年二月十四日)
    select
        date_texts.report_id,
        date_texts.date_source,
        try_cast(translate(
            {{ regexp_extract('date_texts.date_text', year_part, 1) }}, '〇○零一二三四五六七八九', '000123456789'
        ) as integer) as year_value,
        coalesce(
            try_cast({{ regexp_extract('date_texts.date_text', month_part, 1) }} as integer), months.numeral_value
        ) as month_value,
        coalesce(
            try_cast({{ regexp_extract('date_texts.date_text', day_part, 1) }} as integer), days.numeral_value
        ) as day_value
    from date_texts
    left join chinese_numerals as months
        on {{ regexp_extract('date_texts.date_text', month_part, 1) }} = months.numeral
    left join chinese_numerals as days
        on {{ regexp_extract('date_texts.date_text', day_part, 1) }} = days.numeral
),

dates as (
    select
        report_id,
        max(case when date_source = 'header' then {{ date_from_parts('year_value', 'month_value', 'day_value') }} end)
            as header_date,
        max(case when date_source = 'signature' then {{ date_from_parts('year_value', 'month_value', 'day_value') }} end)
            as signature_date
    from date_parts
    group by report_id
),

-- The issuer without the names of the province and city it lies in (淮安市洪泽区人民政府 = 洪泽区人民政府), so the
-- same body keys the same across years whichever way a report names it.
issuer_names as (
    select
        report_id,
        {{ without_prefix(without_prefix('issuer', 'province'), 'city') }} as issuer_core
    from regions
),

final as (
    select
        reports.report_id,
        reports.source_path,
        reports.source_path_count,
        reports.source_url,
        headers.title,
        regions.issuer,
        case
            when regions.region_code is null then ':' || regions.issuer
            else regions.region_code || ':' || issuer_names.issuer_core
        end as issuer_key,
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
        reports.char_count,
        reader_document_kinds.document_kind,
        reader_document_kinds.is_attachment
    from reports
    inner join headers on reports.report_id = headers.report_id
    inner join regions on reports.report_id = regions.report_id
    left join dates on reports.report_id = dates.report_id
    left join issuer_names on reports.report_id = issuer_names.report_id
    left join reader_document_kinds on reports.reader = reader_document_kinds.reader
)

select * from final
