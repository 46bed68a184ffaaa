with report_sources as (
    select * from {{ source('raw', 'report_sources') }}
),

final as (
    select
        source_path,
        report_id,
        file_hash,
        byte_size,
        loader_version,
        first_seen_at,
        loaded_at
    from report_sources
)

select * from final
