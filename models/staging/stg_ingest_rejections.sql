with ingest_rejections as (
    select * from {{ source('raw', 'ingest_rejections') }}
),

final as (
    select
        source_path,
        reason,
        detail,
        file_hash,
        byte_size,
        rejected_at
    from ingest_rejections
)

select * from final
