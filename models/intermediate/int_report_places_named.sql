{#-
    Division names written out in full: the candidates of int_report_place_candidates that are the name of
    a division of the seed admin_divisions valid in the report's year. At each position only the longest
    name is kept (吐鲁番地区, not a shorter name inside it); a name several divisions bear (朝阳区) gives a
    row for each.
-#}

with headers as (
    select * from {{ ref('int_report_headers_parsed') }}
    where {{ in_reports_to_build('changed') }}
),

candidates as (
    select * from {{ ref('int_report_place_candidates') }}
    where {{ in_reports_to_build('changed') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

valid_divisions as (
    select
        candidates.report_id,
        candidates.zone,
        candidates.end_offset,
        candidates.candidate_name,
        admin_divisions.division_id
    from candidates
    inner join admin_divisions on candidates.candidate_name = admin_divisions.name
    inner join headers on candidates.report_id = headers.report_id
    where headers.report_year is null
        or headers.report_year between coalesce(admin_divisions.valid_from_year, 0)
        and coalesce(admin_divisions.valid_to_year, 9999)
),

ranked_divisions as (
    select
        *,
        max(length(candidate_name)) over (partition by report_id, zone, end_offset) as longest_name_chars
    from valid_divisions
),

final as (
    select
        report_id,
        zone,
        end_offset,
        candidate_name,
        division_id
    from ranked_divisions
    where length(candidate_name) = longest_name_chars
)

select * from final
