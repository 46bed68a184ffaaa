{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    Disagreements about a value that the prose took part in, one row per candidate that lost:
    - prose_values_ambiguous: the most specific prose cues give the indicator different values, so the prose
      gives none;
    - prose_value_overruled: a less specific prose cue gives a different value from the one kept
      (通过…网站发布各类信息1.8万余条 against 通过…网站主动公开政府信息7000余条), or a part of a figure
      (其中主动公开政府文件信息420条) does against a headline figure as specific as it;
    - table_prose_differ: the table gives a value and the prose another; the table's value is kept. An
      approximate prose figure (7000余条) agrees with a table value within var('prose_approximation_tolerance').
    The quality mart reads it.
-#}

with candidates as (
    select * from {{ ref('int_prose_value_candidates') }}
    where {{ in_reports_to_build('affected') }}
),

prose_values as (
    select * from {{ ref('int_prose_values_resolved') }}
    where {{ in_reports_to_build('affected') }}
),

table_values as (
    select * from {{ ref('int_table_values_resolved') }}
    where {{ in_reports_to_build('affected') }}
        and (applicant_type = 'total' and value is not null)
),

prose_losers as (
    select
        candidates.report_id,
        case
            when prose_values.report_id is null then 'prose_values_ambiguous'
            else 'prose_value_overruled'
        end as conflict_kind,
        candidates.indicator_code,
        prose_values.value as kept_value,
        case when prose_values.report_id is not null then 'prose' end as kept_source_kind,
        prose_values.evidence as kept_evidence,
        candidates.value as other_value,
        candidates.evidence,
        candidates.line_no,
        candidates.start_offset,
        candidates.is_part and candidates.specificity = prose_values.specificity as is_overruled_part
    from candidates
    left join prose_values
        on candidates.report_id = prose_values.report_id
        and candidates.indicator_code = prose_values.indicator_code
    where
        (prose_values.report_id is null and candidates.specificity = candidates.top_specificity)
        or (prose_values.report_id is not null and candidates.value <> prose_values.value)
),

table_disagreements as (
    select
        prose_values.report_id,
        'table_prose_differ' as conflict_kind,
        prose_values.indicator_code,
        table_values.value as kept_value,
        'table' as kept_source_kind,
        table_values.evidence as kept_evidence,
        prose_values.value as other_value,
        prose_values.evidence,
        prose_values.line_no,
        prose_values.start_offset,
        false as is_overruled_part
    from prose_values
    inner join table_values
        on prose_values.report_id = table_values.report_id
        and prose_values.indicator_code = table_values.indicator_code
    where
        case
            when prose_values.is_approximate
                then abs(table_values.value - prose_values.value)
                    > {{ var('prose_approximation_tolerance') }} * prose_values.value
            else table_values.value <> prose_values.value
        end
),

conflicts as (
    select * from prose_losers
    union all
    select * from table_disagreements
),

-- a conflict only where the values really differ (prose_values_ambiguous lists every disagreeing candidate)
final as (
    select
        report_id,
        conflict_kind,
        indicator_code,
        'total' as applicant_type,
        kept_value,
        kept_source_kind,
        other_value,
        case conflict_kind
            when 'prose_values_ambiguous'
                then 'The prose gives ' || indicator_code || ' several values, ' || {{ readable_number('other_value') }}
                    || ' among them: no value is kept.'
            when 'prose_value_overruled'
                then case
                    when is_overruled_part then 'A part of another figure (其中…) gives '
                    else 'A less specific sentence gives '
                end || indicator_code || ' ' || {{ readable_number('other_value') }}
                    || '; the value kept is ' || {{ readable_number('kept_value') }} || '.'
            else 'The table gives ' || indicator_code || ' ' || {{ readable_number('kept_value') }}
                || ' and the prose ' || {{ readable_number('other_value') }} || '; the table value is kept.'
        end as detail,
        kept_evidence,
        evidence,
        line_no,
        start_offset
    from conflicts
)

select * from final
