{#-
    Every value the prose offers an indicator, in the indicator's unit (元 become 万元): the figures tied to it
    by a cue and the negations that give it 0, each with the specificity of its cue (and the top specificity among
    the indicator's candidates), whether it is a part of an earlier figure of its sentence (其中…) and its evidence.
    int_prose_values_resolved picks among them; int_prose_conflicts_detected lists those that disagree.
-#}

with figures as (
    select * from {{ ref('int_prose_figures_matched') }}
    where {{ in_reports_to_build('changed') }}
),

negations as (
    select * from {{ ref('int_prose_negations_matched') }}
    where {{ in_reports_to_build('changed') }}
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
        clause_start_offset,
        is_part
    from figures

    union all

    select
        report_id,
        indicator_code,
        cue_id,
        specificity,
        'prose_negation' as extraction_method,
        value as value_as_written,
        cast(null as string) as unit_as_written,
        false as is_approximate,
        negated_text as raw_text,
        line_no,
        start_offset,
        end_offset,
        clause_text as evidence,
        clause_start_offset,
        false as is_part
    from negations
),

candidates_in_unit as (
    select
        candidates.*,
        indicators.indicator_unit as unit,
        cast(
            case
                when indicators.indicator_unit = '万元' and candidates.unit_as_written = '元'
                    then candidates.value_as_written * 0.0001
                else candidates.value_as_written
            end
            as {{ indicator_value_type() }}
        ) as value
    from candidates
    inner join indicators on candidates.indicator_code = indicators.indicator_code
),

final as (
    select
        *,
        max(specificity) over (partition by report_id, indicator_code) as top_specificity
    from candidates_in_unit
)

select * from final
