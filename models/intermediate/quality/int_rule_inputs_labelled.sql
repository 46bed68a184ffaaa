{{ config(meta={'rebuild_scope': 'affected'}) }}
{#-
    The values the consistency rules read (int_rule_breaks_<kind>): the non-blank values of
    marts.fct_indicator_values, labelled once for the sentences of the breaks: the code with its Chinese label, the
    value as a readable number, and where it was read. Read by every kind; the carried-over rule reads the year
    before a rebuilt report from here too, so the model keeps every report's values, rebuilt with
    fct_indicator_values (rebuild_scope affected).
-#}
with indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where {{ in_reports_to_build('affected') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

final as (
    select
        indicator_values.report_id,
        indicator_values.indicator_code,
        indicator_values.applicant_type,
        indicator_values.value,
        indicator_values.source_kind,
        indicator_values.evidence,
        indicator_values.line_no,
        indicator_values.start_offset,
        indicator_values.indicator_code || ' (' || indicators.label_zh || ')' as labelled_code,
        {{ readable_number('indicator_values.value') }} as value_text,
        ' (' || indicator_values.source_kind || ', line ' || cast(indicator_values.line_no as string) || ')'
            as source_text
    from indicator_values
    inner join indicators on indicator_values.indicator_code = indicators.code
    where indicator_values.value is not null
)

select * from final
