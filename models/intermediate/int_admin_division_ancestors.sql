{#-
    One row per division of the seed admin_divisions: its parent and grandparent, the region names a report
    placed in it takes (county, city, province), the suffix that turns its name into its government's
    (朝阳区 -> 人民政府), and whether another division bears its name. Report-independent: built from the seeds
    alone, once per build, for int_report_region_candidates_scored and int_report_regions_resolved.
-#}
{{ config(materialized='table') }}

with admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

place_suffixes as (
    select * from {{ ref('place_suffixes') }}
),

shared_names as (
    -- division names more than one division bears (朝阳区)
    select name
    from admin_divisions
    group by name
    having count(*) > 1
),

government_suffixes as (
    -- the longest division suffix the name ends with (自治县 before 县) gives its government's name
    select
        admin_divisions.division_id,
        max_by(place_suffixes.government_suffix, length(place_suffixes.suffix)) as government_suffix
    from admin_divisions
    inner join place_suffixes
        on right(admin_divisions.name, length(place_suffixes.suffix)) = place_suffixes.suffix
        and place_suffixes.place_kind = 'division'
    group by admin_divisions.division_id
),

final as (
    select
        divisions.division_id,
        divisions.code,
        divisions.name,
        divisions.level,
        parents.division_id as parent_division_id,
        grandparents.division_id as grandparent_division_id,
        case divisions.level when 'county' then divisions.name end as county,
        case
            when divisions.level = 'city' then divisions.name
            when divisions.level = 'county' and parents.level = 'city' then parents.name
            when divisions.level = 'county' and parents.level = 'province' and right(parents.name, 1) = '市'
                then parents.name
        end as city,
        provinces.name as province,
        government_suffixes.government_suffix,
        shared_names.name is not null as is_shared_name
    from admin_divisions as divisions
    left join admin_divisions as parents on divisions.parent_division_id = parents.division_id
    left join admin_divisions as grandparents on parents.parent_division_id = grandparents.division_id
    left join admin_divisions as provinces
        on divisions.province_code = provinces.code and provinces.level = 'province'
    left join government_suffixes on divisions.division_id = government_suffixes.division_id
    left join shared_names on divisions.name = shared_names.name
)

select * from final
