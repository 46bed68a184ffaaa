{#-
    One value per report and indicator from the prose (applicant_type total), in the indicator's unit.
    Candidates are the figures tied to the indicator and the negations that give it 0. The candidates of the
    most specific cue win, and among them a headline figure beats the parts of a figure (其中…: 全年主动公开政府信息
    3650条，其中主动公开政府文件信息420条 gives 3650); when the winners disagree among themselves the prose gives
    no value (the conflict is recorded in int_prose_conflicts_detected). Among agreeing candidates the first in the
    text is the evidence.
-#}

with candidates as (
    select * from {{ ref('int_prose_value_candidates') }}
    where {{ in_reports_to_build('changed') }}
),

most_specific_candidates as (
    select
        *,
        bool_and(is_part) over (partition by report_id, indicator_code) as all_are_parts
    from candidates
    where specificity = top_specificity
),

-- a part (其中…) gives way to a headline figure as specific as it
top_candidates as (
    select
        *,
        min(value) over (partition by report_id, indicator_code) = max(value) over (partition by report_id, indicator_code)
            as values_agree,
        row_number() over (partition by report_id, indicator_code order by start_offset) as candidate_rank
    from most_specific_candidates
    where not is_part or all_are_parts
),

final as (
    select
        report_id,
        indicator_code,
        'total' as applicant_type,
        value,
        unit,
        is_approximate,
        'prose' as source_kind,
        'reported' as cell_meaning,
        extraction_method,
        cue_id,
        specificity,
        raw_text,
        line_no,
        start_offset,
        end_offset,
        evidence,
        clause_start_offset
    from top_candidates
    where values_agree and candidate_rank = 1
)

select * from final
