-- depends_on: {{ ref('place_suffixes') }}
-- depends_on: {{ ref('issuer_kinds') }}

{#-
    One division per report: the one its issuer names (the deepest division in the subject), else
    the one its self-references point at (我区 -> a 区 named in the text), as int_report_region_candidates_ranked
    chose them (a tie between divisions of the same name, 朝阳区 in 长春 and in 北京, that the ancestors the text
    names do not settle is left unresolved, null, never guessed). A township takes its county, a department
    whose name carries no place the division written before it; then the body that reports, its level and
    the region names of the division (int_admin_division_ancestors).
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

scored as (
    select * from {{ ref('int_report_region_candidates_scored') }}
    where {{ in_reports_to_build('changed') }}
),

chosen as (
    select * from {{ ref('int_report_region_candidates_ranked') }}
    where {{ in_reports_to_build('changed') }}
        and is_chosen
),

division_ancestors as (
    select * from {{ ref('int_admin_division_ancestors') }}
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

subject_divisions as (
    select scored.*
    from chosen
    inner join scored on chosen.report_id = scored.report_id and chosen.division_id = scored.division_id
    where chosen.ranking = 'subject'
),

self_divisions as (
    select report_id, division_id
    from chosen
    where ranking = 'self_reference'
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
    left join division_ancestors as subject_level on kinds.subject_division_id = subject_level.division_id
    left join township_counties on kinds.report_id = township_counties.report_id
    left join township_cities on kinds.report_id = township_cities.report_id
),

final as (
    select
        anchored.report_id,
        case
            when anchored.named_issuer is not null and anchored.subject_prefix is not null
                then anchored.subject_prefix || anchored.named_issuer
            when anchored.named_issuer is not null and anchored.subject_is_ocr
                then replace(anchored.named_issuer, anchored.subject_text_matched, anchor.name)
            when anchored.named_issuer is not null then anchored.named_issuer
            when anchored.is_township and anchored.subject_text is not null
                then anchored.subject_core || anchored.township_government_suffix
            when anchored.anchor_source = 'subject'
                and anchored.covered_chars = length(anchored.subject_core)
                and not anchored.is_township
                then (case
                    when anchored.subject_is_ocr
                        then replace(anchored.subject_core, anchored.subject_text_matched, anchor.name)
                    else anchored.subject_core
                end) || anchor.government_suffix
            -- a county's issuer rebuilt from 我区 carries its city when another division bears its name (朝阳区)
            when anchored.anchor_source = 'self_reference' and not anchored.is_township
                then (case
                    when anchor.level = 'county' and anchor.is_shared_name then coalesce(anchor.city, '')
                    else ''
                end)
                    || anchor.name || anchor.government_suffix
        end as issuer,
        anchored.issuer_kind,
        case
            when anchored.issuer_kind = 'department' then 'department'
            when anchored.is_township then 'township'
            when anchored.is_zone or anchored.issuer_kind = 'zone_committee' then 'county'
            when anchor.level is not null then anchor.level
            else coalesce(anchored.issuer_kind_level, anchored.self_kind_level)
        end as admin_level,
        anchor.province,
        anchor.city,
        anchor.county,
        anchor.code as region_code,
        anchored.anchor_division_id as division_id,
        anchored.anchor_source as region_source,
        anchored.is_township,
        anchored.is_zone
    from anchored
    left join division_ancestors as anchor on anchored.anchor_division_id = anchor.division_id
)

select * from final
