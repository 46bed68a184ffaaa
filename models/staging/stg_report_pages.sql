with source as (
    select * from {{ source('raw', 'report_pages') }}
),

final as (
    select
        report_id,
        page_no,
        first_line_no,
        line_count
    from source
)

select * from final
