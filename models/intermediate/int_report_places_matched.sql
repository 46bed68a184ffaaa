-- depends_on: {{ ref('place_suffixes') }}

{#-
    Candidate place names are the 2 to max_name_chars characters that end at a place-name suffix
    character (市, 区, 县, ...) in the report's subject (the issuer as named, else the title's body)
    and in its opening text, title and signature. They meet the division seed by equality, so the
    cost grows with the text read, not with the size of the seed.
-#}
{%- set suffixes = seed_rows('place_suffixes', ['suffix']) -%}
{%- set end_characters = suffixes | map(attribute=0) | map('last') | unique | sort | join('') -%}
{%- set max_name_chars = var('place_name_max_chars', 10) %}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

zone_texts as (
    select
        report_id,
        'subject' as zone,
        coalesce(named_issuer, title_issuer) as zone_text
    from headers
    where coalesce(named_issuer, title_issuer) is not null
    union all
    select
        report_id,
        'body' as zone,
        coalesce(title, '') || ' ' || intro_text || ' ' || coalesce(signature_text, '') as zone_text
    from headers
),

suffix_ends as (
    {{ explode_regexp_matches('zone_texts', ['report_id', 'zone'], 'zone_text', string_literal('[' ~ end_characters ~ ']')) }}
),

name_lengths as (
    {%- for name_chars in range(2, max_name_chars + 1) %}
    select {{ name_chars }} as name_chars{{ ' union all' if not loop.last }}
    {%- endfor %}
),

suffix_tails as (
    -- the max_name_chars characters that end at each suffix character, built from the short pieces
    -- between suffix characters (substring() on the whole text would cost its length per candidate)
    select
        report_id,
        zone,
        match_offset + 1 as end_offset,
        right(
            coalesce(lag(segment, 2) over (partition by report_id, zone order by match_no), '')
            || coalesce(lag(segment, 1) over (partition by report_id, zone order by match_no), '')
            || segment,
            {{ max_name_chars }}
        ) as tail
    from (
        select
            *,
            right(text_before, {{ max_name_chars }}) || match_text as segment
        from suffix_ends
    ) as segmented_ends
),

candidates as (
    select
        suffix_tails.report_id,
        suffix_tails.zone,
        suffix_tails.end_offset,
        name_lengths.name_chars,
        right(suffix_tails.tail, name_lengths.name_chars) as candidate_name
    from suffix_tails
    inner join name_lengths on length(suffix_tails.tail) >= name_lengths.name_chars
),

named_candidates as (
    select
        candidates.report_id,
        candidates.zone,
        candidates.end_offset,
        candidates.candidate_name,
        admin_divisions.division_id,
        admin_divisions.valid_from_year,
        admin_divisions.valid_to_year
    from candidates
    inner join admin_divisions on candidates.candidate_name = admin_divisions.name
),

valid_divisions as (
    select
        named_candidates.report_id,
        named_candidates.zone,
        named_candidates.end_offset,
        named_candidates.candidate_name,
        named_candidates.division_id
    from named_candidates
    inner join headers on named_candidates.report_id = headers.report_id
    where headers.report_year is null
        or headers.report_year between coalesce(named_candidates.valid_from_year, 0)
        and coalesce(named_candidates.valid_to_year, 9999)
),

ranked_divisions as (
    select
        *,
        max(length(candidate_name)) over (partition by report_id, zone, end_offset) as longest_name_chars
    from valid_divisions
),

exact_matches as (
    -- the longest name ending at each position (吐鲁番地区, not a shorter name inside it)
    select
        report_id,
        zone,
        end_offset,
        candidate_name,
        division_id,
        'exact' as match_kind
    from ranked_divisions
    where length(candidate_name) = longest_name_chars
),

matched_parents as (
    select distinct
        exact_matches.report_id,
        admin_divisions.division_id as parent_division_id
    from exact_matches
    inner join admin_divisions on exact_matches.division_id = admin_divisions.division_id
),

subject_starts as (
    select distinct report_id
    from exact_matches
    where zone = 'subject' and end_offset = length(candidate_name)
),

short_name_matches as (
    -- a subject that starts with a province's or city's name without its suffix (新乡高新区管委会),
    -- when no full name starts it
    select
        zone_texts.report_id,
        zone_texts.zone,
        name_lengths.name_chars as end_offset,
        left(zone_texts.zone_text, name_lengths.name_chars) as candidate_name,
        admin_divisions.division_id,
        'short_name' as match_kind
    from zone_texts
    inner join name_lengths
        on name_lengths.name_chars <= {{ var('short_name_max_chars', 4) }}
        and length(zone_texts.zone_text) > name_lengths.name_chars
    inner join admin_divisions
        on left(zone_texts.zone_text, name_lengths.name_chars) = admin_divisions.short_name
        and admin_divisions.level in ('province', 'city')
    inner join headers on zone_texts.report_id = headers.report_id
    left join subject_starts on zone_texts.report_id = subject_starts.report_id
    where zone_texts.zone = 'subject'
        and subject_starts.report_id is null
        and (
            headers.report_year is null
            or headers.report_year between coalesce(admin_divisions.valid_from_year, 0)
            and coalesce(admin_divisions.valid_to_year, 9999)
        )
),

subject_candidates as (
    select * from candidates
    where zone = 'subject' and name_chars >= 3
),

ocr_matches as (
    -- one misread character in the subject (沐阳县 for 沭阳县), settled by the parent named in the text
    select
        candidates.report_id,
        candidates.zone,
        candidates.end_offset,
        candidates.candidate_name,
        admin_divisions.division_id,
        'ocr' as match_kind
    from subject_candidates as candidates
    inner join matched_parents on candidates.report_id = matched_parents.report_id
    inner join admin_divisions on matched_parents.parent_division_id = admin_divisions.parent_division_id
    inner join headers on candidates.report_id = headers.report_id
    left join exact_matches
        on candidates.report_id = exact_matches.report_id
        and candidates.zone = exact_matches.zone
        and candidates.end_offset = exact_matches.end_offset
    where exact_matches.division_id is null
        and length(admin_divisions.name) = candidates.name_chars
        and right(admin_divisions.name, 1) = right(candidates.candidate_name, 1)
        and {{ edit_distance('admin_divisions.name', 'candidates.candidate_name') }} = 1
        and (
            headers.report_year is null
            or headers.report_year between coalesce(admin_divisions.valid_from_year, 0)
            and coalesce(admin_divisions.valid_to_year, 9999)
        )
),

all_matches as (
    select * from exact_matches
    union all
    select * from ocr_matches
    union all
    select * from short_name_matches
),

final as (
    select
        all_matches.report_id,
        all_matches.zone,
        all_matches.end_offset - length(all_matches.candidate_name) as start_offset,
        all_matches.end_offset,
        all_matches.candidate_name as matched_text,
        all_matches.match_kind,
        admin_divisions.division_id,
        admin_divisions.code,
        admin_divisions.name,
        admin_divisions.level,
        admin_divisions.parent_division_id
    from all_matches
    inner join admin_divisions on all_matches.division_id = admin_divisions.division_id
)

select * from final
