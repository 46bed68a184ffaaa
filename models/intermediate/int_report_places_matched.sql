{#-
    Every place a report names, in its subject or its opening text, title and signature: names written in full
    (int_report_places_named), a subject's misread name that only one division can be (int_report_places_misread:
    沐阳县 -> 沭阳县), and a subject that starts with a province's or city's name without its suffix (新乡高新区管委会)
    when no full name starts it, and a zone named without a division (seed zone_regions: 雄安新区).
-#}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

named_places as (
    select * from {{ ref('int_report_places_named') }}
    where {{ in_reports_to_build('changed') }}
),

misread_places as (
    select * from {{ ref('int_report_places_misread') }}
    where {{ in_reports_to_build('changed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

zone_regions as (
    select * from {{ ref('zone_regions') }}
),

exact_matches as (
    select
        report_id,
        zone,
        end_offset,
        candidate_name,
        division_id,
        'exact' as match_kind
    from named_places
),

ocr_matches as (
    select
        report_id,
        zone,
        end_offset,
        matched_text as candidate_name,
        division_id,
        'ocr' as match_kind
    from misread_places
    where reading_count = 1
),

subject_starts as (
    select distinct report_id
    from named_places
    where zone = 'subject' and end_offset = length(candidate_name)
),

short_name_lengths as (
    {%- for name_chars in range(2, var('short_name_max_chars', 4) + 1) %}
    select {{ name_chars }} as name_chars{{ ' union all' if not loop.last }}
    {%- endfor %}
),

short_name_matches as (
    -- a subject that starts with a province's or city's name without its suffix (新乡高新区管委会),
    -- when no full name starts it
    select
        headers.report_id,
        'subject' as zone,
        short_name_lengths.name_chars as end_offset,
        left(coalesce(headers.named_issuer, headers.title_issuer), short_name_lengths.name_chars) as candidate_name,
        admin_divisions.division_id,
        'short_name' as match_kind
    from headers
    inner join short_name_lengths
        on length(coalesce(headers.named_issuer, headers.title_issuer)) > short_name_lengths.name_chars
    inner join admin_divisions
        on left(coalesce(headers.named_issuer, headers.title_issuer), short_name_lengths.name_chars)
        = admin_divisions.short_name
        and admin_divisions.level in ('province', 'city')
    left join subject_starts on headers.report_id = subject_starts.report_id
    where subject_starts.report_id is null
        and (
            headers.report_year is null
            or headers.report_year between coalesce(admin_divisions.valid_from_year, 0)
            and coalesce(admin_divisions.valid_to_year, 9999)
        )
),

zone_matches as (
    -- a zone whose name carries no division (雄安新区管理委员会, 平潭综合实验区管委会): its city, else its province
    select
        headers.report_id,
        'subject' as zone,
        {{ text_position('coalesce(headers.named_issuer, headers.title_issuer)', 'zone_regions.zone_name') }} - 1
        + length(zone_regions.zone_name) as end_offset,
        zone_regions.zone_name as candidate_name,
        admin_divisions.division_id,
        'zone' as match_kind
    from headers
    inner join zone_regions
        on {{ text_position('coalesce(headers.named_issuer, headers.title_issuer)', 'zone_regions.zone_name') }} > 0
    inner join admin_divisions
        on admin_divisions.name = coalesce(zone_regions.city, zone_regions.province)
        and admin_divisions.level = case when zone_regions.city is null then 'province' else 'city' end
),

all_matches as (
    select * from exact_matches
    union all
    select * from ocr_matches
    union all
    select * from short_name_matches
    union all
    select * from zone_matches
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
