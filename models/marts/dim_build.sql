{{ config(materialized='view') }}
{#-
    Deprecated: the old name of mart_build_stamp, kept as a view over it for one release (removed in the next).
-#}
with build_stamp as (
    select * from {{ ref('mart_build_stamp') }}
),

final as (
    select * from build_stamp
)

select * from final
