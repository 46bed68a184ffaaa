with reports as (
    select * from {{ source('raw', 'reports') }}
),

source_counts as (
    select
        report_id,
        count(*) as source_path_count
    from {{ source('raw', 'report_sources') }}
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.source_path,
        source_counts.source_path_count,
        reports.file_hash,
        reports.byte_size,
        reports.encoding,
        reports.has_bom,
        reports.decode_note,
        reports.decode_note is not null as is_damaged,
        reports.script,
        reports.reader,
        reports.reader_version,
        reports.loader_version,
        reports.ingested_at,
        reports.source_url,
        length(reports.raw_text) as raw_char_count,
        length(reports.text) as char_count,
        reports.raw_text,
        reports.text
    from reports
    left join source_counts on reports.report_id = source_counts.report_id
)

select * from final
