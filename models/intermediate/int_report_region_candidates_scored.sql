-- depends_on: {{ ref('place_suffixes') }}

{#-
    One row per report x division its text names (int_report_places_matched): what speaks for it as the
    report's division. How deep it is, how many of its ancestors the text also names (朝阳区 of 长春 when 长春市
    is named too, a tie-breaker between same-name divisions), how often the body names it, whether and how the
    subject names it, and whether the report's self-reference (我区, 我镇) can point at it.
-#}
{%- set level_ranks = {'province': 1, 'city': 2, 'county': 3} %}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

places as (
    select * from {{ ref('int_report_places_matched') }}
    where {{ in_reports_to_build('changed') }}
),

division_ancestors as (
    select * from {{ ref('int_admin_division_ancestors') }}
),

place_suffixes as (
    select * from {{ ref('place_suffixes') }}
),

report_divisions as (
    select distinct report_id, division_id from places
),

support as (
    select
        report_divisions.report_id,
        report_divisions.division_id,
        count(distinct named_ancestors.division_id) as named_ancestor_count
    from report_divisions
    left join division_ancestors on report_divisions.division_id = division_ancestors.division_id
    left join report_divisions as named_ancestors
        on report_divisions.report_id = named_ancestors.report_id
        and named_ancestors.division_id in (
            division_ancestors.parent_division_id, division_ancestors.grandparent_division_id
        )
    group by report_divisions.report_id, report_divisions.division_id
),

scored as (
    select
        places.report_id,
        places.division_id,
        places.name,
        places.level,
        case places.level
            {%- for level, rank in level_ranks.items() %}
            when '{{ level }}' then {{ rank }}
            {%- endfor %}
        end as level_rank,
        max(support.named_ancestor_count) as named_ancestor_count,
        count(*) filter (where places.zone = 'body') as mentions,
        count(*) filter (where places.zone = 'subject') > 0 as in_subject,
        max(places.end_offset) filter (where places.zone = 'subject') as subject_end_offset,
        min_by(places.matched_text, places.start_offset) filter (where places.zone = 'subject') as subject_text_matched,
        bool_or(places.match_kind = 'ocr') as is_ocr_match,
        bool_or(places.match_kind = 'zone') as is_zone_match
    from places
    inner join support on places.report_id = support.report_id and places.division_id = support.division_id
    group by places.report_id, places.division_id, places.name, places.level
),

self_referenced as (
    -- 我区 -> a 区 of a level that 区 can name; 我镇 -> a county (the township's)
    select
        scored.report_id,
        scored.division_id
    from scored
    inner join headers on scored.report_id = headers.report_id
    inner join place_suffixes on headers.self_reference_suffix = place_suffixes.suffix
    where (
        place_suffixes.place_kind = 'division'
        and right(scored.name, length(place_suffixes.suffix)) = place_suffixes.suffix
        and '|' || place_suffixes.levels || '|' like '%|' || scored.level || '|%'
    ) or (
        place_suffixes.place_kind = 'township' and scored.level = 'county'
    )
),

final as (
    select
        scored.*,
        self_referenced.division_id is not null as is_self_referenced,
        scored.mentions + 3 * scored.named_ancestor_count as self_reference_score
    from scored
    left join self_referenced
        on scored.report_id = self_referenced.report_id and scored.division_id = self_referenced.division_id
)

select * from final
