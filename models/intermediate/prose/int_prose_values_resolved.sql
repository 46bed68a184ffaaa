{#-
    One value per report and indicator from the prose (applicant_type total), in the indicator's unit.
    Candidates are the figures tied to the indicator and the negations that give it 0. The candidates of the
    most specific cue win; when they disagree among themselves the prose gives no value (the conflict is
    recorded in int_prose_conflicts_detected). Among agreeing candidates the first in the text is the evidence.
-#}
{{ config(materialized='table') }}

with figures as (
    select * from {{ ref('int_prose_figures_matched') }}
),

negations as (
    select * from {{ ref('int_prose_negations_matched') }}
),

indicators as (
    select code as indicator_code, unit as indicator_unit from {{ ref('indicators') }}
),

candidates as (
    select
        report_id,
        indicator_code,
        cue_id,
        specificity,
        'prose_figure' as extraction_method,
        value as value_as_written,
        unit as unit_as_written,
        is_approximate,
        figure_text as raw_text,
        line_no,
        start_offset,
        end_offset,
        clause_text as evidence,
        clause_start_offset
    from figures

    union all

    select
        report_id,
        indicator_code,
        cue_id,
        specificity,
        'prose_negation' as extraction_method,
        value as value_as_written,
        cast(null as varchar) as unit_as_written,
        false as is_approximate,
        negated_text as raw_text,
        line_no,
        start_offset,
        end_offset,
        clause_text as evidence,
        clause_start_offset
    from negations
),

candidates_in_unit as (
    select
        candidates.*,
        indicators.indicator_unit as unit,
        cast(
            case
                when indicators.indicator_unit = '万元' and candidates.unit_as_written = '元'
                    then candidates.value_as_written / 10000
                else candidates.value_as_written
            end
            as decimal(18, 4)
        ) as value
    from candidates
    inner join indicators on candidates.indicator_code = indicators.indicator_code
),

ranked_candidates as (
    select
        *,
        max(specificity) over (partition by report_id, indicator_code) as top_specificity
    from candidates_in_unit
),

top_candidates as (
    select
        *,
        min(value) over (partition by report_id, indicator_code) = max(value) over (partition by report_id, indicator_code)
            as values_agree,
        row_number() over (partition by report_id, indicator_code order by start_offset) as candidate_rank
    from ranked_candidates
    where specificity = top_specificity
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
