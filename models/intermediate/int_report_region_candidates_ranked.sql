{#-
    One row per report x ranking x candidate division, ranked within the report in one step:
    - subject: the divisions the subject names, the deepest first, then the one with the most ancestors the
      text names, then the most mentioned;
    - self_reference: the divisions the report's self-reference (我区) can point at, by mentions plus three
      times the ancestors the text names.
    The division a ranking chooses is its first, when no other division shares that rank: a tie is left
    unresolved, never guessed.
-#}

with scored as (
    select * from {{ ref('int_report_region_candidates_scored') }}
    where {{ in_reports_to_build('changed') }}
),

candidates as (
    select
        report_id,
        'subject' as ranking,
        division_id,
        level_rank as first_key,
        named_ancestor_count as second_key,
        mentions as third_key
    from scored
    where in_subject

    union all

    select
        report_id,
        'self_reference' as ranking,
        division_id,
        self_reference_score as first_key,
        0 as second_key,
        0 as third_key
    from scored
    where is_self_referenced
),

ranked as (
    select
        *,
        rank() over (
            partition by report_id, ranking order by first_key desc, second_key desc, third_key desc
        ) as candidate_rank
    from candidates
),

final as (
    select
        report_id,
        ranking,
        division_id,
        candidate_rank,
        count(*) over (partition by report_id, ranking, candidate_rank) as tied_divisions,
        candidate_rank = 1 and count(*) over (partition by report_id, ranking, candidate_rank) = 1 as is_chosen
    from ranked
)

select * from final
