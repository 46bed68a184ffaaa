-- depends_on: {{ ref('place_suffixes') }}

{#-
    Candidate place names: the 2 to max_name_chars characters that end at a place-name suffix character
    (市, 区, 县, ...) in the report's subject (the issuer as named, else the title's body) and in its opening
    text, title and signature. int_report_places_named meets them with the division seed by equality, so the
    cost grows with the text read, not with the size of the seed.
-#}
{%- set suffixes = seed_rows('place_suffixes', ['suffix']) -%}
{%- set end_characters = suffixes | map(attribute=0) | map('last') | unique | sort | join('') -%}
{%- set max_name_chars = var('place_name_max_chars', 10) %}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
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

final as (
    select
        suffix_tails.report_id,
        suffix_tails.zone,
        suffix_tails.end_offset,
        name_lengths.name_chars,
        right(suffix_tails.tail, name_lengths.name_chars) as candidate_name
    from suffix_tails
    inner join name_lengths on length(suffix_tails.tail) >= name_lengths.name_chars
)

select * from final
