{#-
    Readings of a misread place name: a candidate name in the subject that is no division where it ends
    (no full name ends there) read as a division one character away from it, where the two characters are
    a visually confusable pair (seed confusable_characters: 沐阳县 for 沭阳县) and the division's parent is
    named in full in the report. Only the characters before the place suffix are read otherwise. One row per
    reading; reading_count says how many divisions the name could be: one is a match (int_report_places_matched),
    two or more a tie that is left unresolved (int_report_place_ambiguities), never settled by how close the
    characters' bytes or code points are.
-#}
{%- set max_name_chars = var('place_name_max_chars', 10) %}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

candidates as (
    select * from {{ ref('int_report_place_candidates') }}
    where {{ in_reports_to_build('changed') }}
),

named_places as (
    select * from {{ ref('int_report_places_named') }}
    where {{ in_reports_to_build('changed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

confusable_characters as (
    select * from {{ ref('confusable_characters') }}
),

confusable_pairs as (
    -- each pair both ways
    select character as written_character, confusable_character as read_character from confusable_characters
    union
    select confusable_character as written_character, character as read_character from confusable_characters
),

named_parents as (
    select distinct
        named_places.report_id,
        admin_divisions.division_id as parent_division_id
    from named_places
    inner join admin_divisions on named_places.division_id = admin_divisions.division_id
),

unnamed_subject_candidates as (
    select candidates.*
    from candidates
    left join named_places
        on candidates.report_id = named_places.report_id
        and candidates.zone = named_places.zone
        and candidates.end_offset = named_places.end_offset
    where candidates.zone = 'subject'
        and candidates.name_chars >= 3
        and named_places.report_id is null
),

character_positions as (
    {%- for position in range(1, max_name_chars) %}
    select {{ position }} as position{{ ' union all' if not loop.last }}
    {%- endfor %}
),

candidate_characters as (
    select
        unnamed_subject_candidates.*,
        character_positions.position,
        substring(unnamed_subject_candidates.candidate_name, character_positions.position, 1) as written_character
    from unnamed_subject_candidates
    inner join character_positions on character_positions.position < unnamed_subject_candidates.name_chars
),

variant_names as (
    -- the candidate with one character read as its confusable partner
    select
        candidate_characters.report_id,
        candidate_characters.zone,
        candidate_characters.end_offset,
        candidate_characters.candidate_name,
        left(candidate_characters.candidate_name, candidate_characters.position - 1)
            || confusable_pairs.read_character
            || substring(candidate_characters.candidate_name, candidate_characters.position + 1) as variant_name
    from candidate_characters
    inner join confusable_pairs on candidate_characters.written_character = confusable_pairs.written_character
),

readings as (
    select distinct
        variant_names.report_id,
        variant_names.zone,
        variant_names.end_offset,
        variant_names.candidate_name,
        admin_divisions.division_id
    from variant_names
    inner join admin_divisions on variant_names.variant_name = admin_divisions.name
    inner join named_parents
        on variant_names.report_id = named_parents.report_id
        and admin_divisions.parent_division_id = named_parents.parent_division_id
    inner join headers on variant_names.report_id = headers.report_id
    where headers.report_year is null
        or headers.report_year between coalesce(admin_divisions.valid_from_year, 0)
        and coalesce(admin_divisions.valid_to_year, 9999)
),

final as (
    select
        report_id,
        zone,
        end_offset - length(candidate_name) as start_offset,
        end_offset,
        candidate_name as matched_text,
        division_id,
        count(*) over (partition by report_id, zone, end_offset) as reading_count
    from readings
)

select * from final
