with source as (
    select * from {{ source('raw', 'report_table_cells') }}
),

final as (
    select
        report_id,
        table_no,
        row_no,
        col_no,
        {{ trim_blanks('cell_text') }} as cell_text
    from source
)

select * from final
