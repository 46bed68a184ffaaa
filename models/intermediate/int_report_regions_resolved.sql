-- depends_on: {{ ref('place_suffixes') }}
-- depends_on: {{ ref('issuer_kinds') }}

{#-
    One division per report: the one its issuer names (the deepest division in the subject), else
    the one its self-references point at (我区 -> a 区 named in the text). Ties between divisions of
    the same name (朝阳区 in 长春 and in 北京) are settled by the ancestors the text also names; a
    tie that stays is left unresolved (null), never guessed.
-#}
{%- set issuer_kinds = seed_rows('issuer_kinds', ['suffix', 'issuer_kind', 'admin_level'], order_by='length(suffix) desc') -%}
{%- set township_suffixes = seed_rows('place_suffixes', ['suffix', 'government_suffix'], "place_kind = 'township'", 'length(suffix) desc') -%}
{%- set zone_suffixes = seed_rows('place_suffixes', ['suffix'], "place_kind = 'zone'", 'length(suffix) desc') -%}
{%- set issuer_suffix_alternation = issuer_kinds | map(attribute=0) | join('|') -%}
{%- set township_pattern = '(' ~ (township_suffixes | map(attribute=0) | join('|')) ~ ')$' -%}
{%- set zone_pattern = '(' ~ (zone_suffixes | map(attribute=0) | join('|')) ~ ')$' -%}
{%- set level_ranks = {'province': 1, 'city': 2, 'county': 3} %}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

places as (
    select * from {{ ref('int_report_places_matched') }}
    where {{ in_reports_to_build('changed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

place_suffixes as (
    select * from {{ ref('place_suffixes') }}
),

subjects as (
    select
        report_id,
        named_issuer,
        coalesce(named_issuer, title_issuer) as subject_text,
        {{ regexp_extract(
            'coalesce(named_issuer, title_issuer)',
            string_literal('^(.*?)(?:' ~ issuer_suffix_alternation ~ ')?$'),
            1
        ) }} as subject_core,
        case
            {%- for kind in issuer_kinds %}
            when right(named_issuer, {{ kind[0] | length }}) = '{{ kind[0] }}' then '{{ kind[1] }}'
            {%- endfor %}
        end as issuer_kind,
        case
            {%- for kind in issuer_kinds if kind[2] %}
            when right(named_issuer, {{ kind[0] | length }}) = '{{ kind[0] }}' then '{{ kind[2] }}'
            {%- endfor %}
        end as issuer_kind_level,
        -- 我局 / 我厅: the level of the kind of body the report calls itself
        case
            {%- for kind in issuer_kinds if kind[2] %}
            when self_reference_suffix = '{{ kind[0] }}' then '{{ kind[2] }}'
            {%- endfor %}
        end as self_kind_level,
        self_reference_suffix
    from headers
),

ancestors as (
    select
        divisions.division_id,
        parents.division_id as ancestor_id
    from admin_divisions as divisions
    inner join admin_divisions as parents on divisions.parent_division_id = parents.division_id
    union all
    select
        divisions.division_id,
        grandparents.division_id as ancestor_id
    from admin_divisions as divisions
    inner join admin_divisions as parents on divisions.parent_division_id = parents.division_id
    inner join admin_divisions as grandparents on parents.parent_division_id = grandparents.division_id
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
    left join ancestors on report_divisions.division_id = ancestors.division_id
    left join report_divisions as named_ancestors
        on report_divisions.report_id = named_ancestors.report_id
        and ancestors.ancestor_id = named_ancestors.division_id
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

subject_spans as (
    select distinct report_id, start_offset, end_offset
    from places
    where zone = 'subject'
),

subject_coverage as (
    -- characters of the subject covered by division names (each span once, whatever it resolved to)
    select
        report_id,
        sum(end_offset - start_offset) as covered_chars
    from subject_spans
    group by report_id
),

subject_ranked as (
    select
        *,
        rank() over (
            partition by report_id order by level_rank desc, named_ancestor_count desc, mentions desc
        ) as subject_rank
    from scored
    where in_subject
),

subject_ties as (
    select
        *,
        count(*) over (partition by report_id, subject_rank) as tied_divisions
    from subject_ranked
),

subject_divisions as (
    select * from subject_ties
    where subject_rank = 1 and tied_divisions = 1
),

body_texts as (
    -- the text int_report_place_candidates reads as the body zone: its offsets are offsets into this
    select
        report_id,
        coalesce(title, '') || ' ' || intro_text || ' ' || coalesce(signature_text, '') as body_text
    from headers
),

prefixed_subject_places as (
    -- a department whose name carries no place (公安局 2019年…) named in the text after a division
    -- (2019年白水县公安局在县委…): that division is its place
    select
        places.report_id,
        places.division_id,
        places.matched_text,
        case places.level
            {%- for level, rank in level_ranks.items() %}
            when '{{ level }}' then {{ rank }}
            {%- endfor %}
        end as level_rank
    from places
    inner join subjects on places.report_id = subjects.report_id
    inner join body_texts on places.report_id = body_texts.report_id
    left join subject_coverage on places.report_id = subject_coverage.report_id
    where places.zone = 'body'
        and subjects.issuer_kind = 'department'
        and subject_coverage.covered_chars is null
        and substring(body_texts.body_text, places.end_offset + 1, length(subjects.named_issuer))
        = subjects.named_issuer
),

prefixed_subject_ranked as (
    select
        *,
        dense_rank() over (partition by report_id order by level_rank desc) as prefix_rank
    from prefixed_subject_places
),

prefixed_subjects as (
    -- the deepest such division, when it is one division however often it is written
    select
        report_id,
        min(division_id) as division_id,
        min(matched_text) as matched_text
    from prefixed_subject_ranked
    where prefix_rank = 1
    group by report_id
    having count(distinct division_id) = 1
),

self_referenced as (
    -- 我区 -> a 区 of a level that 区 can name; 我镇 -> the county the text names
    select
        scored.*,
        subjects.self_reference_suffix
    from scored
    inner join subjects on scored.report_id = subjects.report_id
    inner join place_suffixes on subjects.self_reference_suffix = place_suffixes.suffix
    where (
        place_suffixes.place_kind = 'division'
        and right(scored.name, length(place_suffixes.suffix)) = place_suffixes.suffix
        and '|' || place_suffixes.levels || '|' like '%|' || scored.level || '|%'
    ) or (
        place_suffixes.place_kind = 'township' and scored.level = 'county'
    )
),

self_ranked as (
    select
        *,
        mentions + 3 * named_ancestor_count as score,
        rank() over (partition by report_id order by mentions + 3 * named_ancestor_count desc) as self_rank
    from self_referenced
),

self_ties as (
    select
        *,
        count(*) over (partition by report_id, self_rank) as tied_divisions
    from self_ranked
),

self_divisions as (
    select * from self_ties
    where self_rank = 1 and tied_divisions = 1
),

township_counties as (
    -- a township's county, when the text names one county and no other
    select
        report_id,
        min(division_id) as division_id
    from scored
    where level = 'county'
    group by report_id
    having count(*) = 1
),

township_cities as (
    -- a township's city, when the text names no county at all and one city and no other
    -- (沅江路街道 of 洪江区, a district the division list does not hold, beside 怀化市)
    select
        report_id,
        min(division_id) filter (where level = 'city') as division_id
    from scored
    group by report_id
    having count(*) filter (where level = 'county') = 0
        and count(*) filter (where level = 'city') = 1
),

kinds as (
    select
        subjects.*,
        subject_coverage.covered_chars,
        coalesce(
            {{ regexp_matches('subjects.subject_core', string_literal(township_pattern)) }}
            or (subjects.subject_text is null and subjects.self_reference_suffix in (
                {%- for suffix in township_suffixes %}'{{ suffix[0] }}'{{ ', ' if not loop.last }}{% endfor -%}
            )),
            false
        ) as is_township,
        case
            {%- for suffix in township_suffixes %}
            when right(subjects.subject_core, {{ suffix[0] | length }}) = '{{ suffix[0] }}' then '{{ suffix[1] }}'
            {%- endfor %}
        end as township_government_suffix,
        coalesce(
            {{ regexp_matches('subjects.subject_core', string_literal(zone_pattern)) }}
            and (
                coalesce(subject_divisions.subject_end_offset, 0) < length(subjects.subject_core)
                or coalesce(subject_divisions.is_zone_match, false)
            ),
            false
        ) as is_zone,
        coalesce(subject_divisions.division_id, prefixed_subjects.division_id) as subject_division_id,
        prefixed_subjects.matched_text as subject_prefix,
        subject_divisions.subject_text_matched,
        subject_divisions.is_ocr_match as subject_is_ocr,
        self_divisions.division_id as self_division_id
    from subjects
    left join subject_coverage on subjects.report_id = subject_coverage.report_id
    left join subject_divisions on subjects.report_id = subject_divisions.report_id
    left join self_divisions on subjects.report_id = self_divisions.report_id
    left join prefixed_subjects on subjects.report_id = prefixed_subjects.report_id
),

anchored as (
    select
        kinds.*,
        case
            when kinds.is_township and subject_level.level = 'county' then kinds.subject_division_id
            when kinds.is_township and kinds.subject_division_id is null
                then coalesce(township_counties.division_id, township_cities.division_id)
            when kinds.is_township then null
            when kinds.subject_division_id is not null then kinds.subject_division_id
            when kinds.subject_text is null or kinds.covered_chars is null then kinds.self_division_id
        end as anchor_division_id,
        case
            when kinds.subject_division_id is not null then 'subject'
            when kinds.subject_text is null or kinds.covered_chars is null then 'self_reference'
        end as anchor_source
    from kinds
    left join admin_divisions as subject_level on kinds.subject_division_id = subject_level.division_id
    left join township_counties on kinds.report_id = township_counties.report_id
    left join township_cities on kinds.report_id = township_cities.report_id
),

geography as (
    select
        anchored.*,
        anchor.code as region_code,
        anchor.level as anchor_level,
        anchor.name as anchor_name,
        case anchor.level when 'county' then anchor.name end as county,
        case
            when anchor.level = 'city' then anchor.name
            when anchor.level = 'county' and parent.level = 'city' then parent.name
            when anchor.level = 'county' and parent.level = 'province' and right(parent.name, 1) = '市' then parent.name
        end as city,
        province.name as province
    from anchored
    left join admin_divisions as anchor on anchored.anchor_division_id = anchor.division_id
    left join admin_divisions as parent on anchor.parent_division_id = parent.division_id
    left join admin_divisions as province
        on anchor.province_code = province.code and province.level = 'province'
),

shared_names as (
    -- division names more than one division bears (朝阳区): a county's issuer rebuilt from 我区 carries its city
    select name
    from admin_divisions
    group by name
    having count(*) > 1
),

government_suffixes as (
    select
        geography.report_id,
        max_by(place_suffixes.government_suffix, length(place_suffixes.suffix)) as government_suffix
    from geography
    inner join place_suffixes
        on right(geography.anchor_name, length(place_suffixes.suffix)) = place_suffixes.suffix
        and place_suffixes.place_kind = 'division'
    group by geography.report_id
),

final as (
    select
        geography.report_id,
        case
            when geography.named_issuer is not null and geography.subject_prefix is not null
                then geography.subject_prefix || geography.named_issuer
            when geography.named_issuer is not null and geography.subject_is_ocr
                then replace(geography.named_issuer, geography.subject_text_matched, geography.anchor_name)
            when geography.named_issuer is not null then geography.named_issuer
            when geography.is_township and geography.subject_text is not null
                then geography.subject_core || geography.township_government_suffix
            when geography.anchor_source = 'subject'
                and geography.covered_chars = length(geography.subject_core)
                and not geography.is_township
                then (case
                    when geography.subject_is_ocr
                        then replace(geography.subject_core, geography.subject_text_matched, geography.anchor_name)
                    else geography.subject_core
                end) || government_suffixes.government_suffix
            when geography.anchor_source = 'self_reference' and not geography.is_township
                then (case
                    when geography.anchor_level = 'county' and shared_names.name is not null
                        then coalesce(geography.city, '')
                    else ''
                end)
                    || geography.anchor_name || government_suffixes.government_suffix
        end as issuer,
        geography.issuer_kind,
        case
            when geography.issuer_kind = 'department' then 'department'
            when geography.is_township then 'township'
            when geography.is_zone or geography.issuer_kind = 'zone_committee' then 'county'
            when geography.anchor_level is not null then geography.anchor_level
            else coalesce(geography.issuer_kind_level, geography.self_kind_level)
        end as admin_level,
        geography.province,
        geography.city,
        geography.county,
        geography.region_code,
        geography.anchor_division_id as division_id,
        geography.anchor_source as region_source,
        geography.is_township,
        geography.is_zone
    from geography
    left join government_suffixes on geography.report_id = government_suffixes.report_id
    left join shared_names on geography.anchor_name = shared_names.name
)

select * from final
