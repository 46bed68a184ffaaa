{#-
    The indicator panel: one resolved row per report, indicator code and applicant type. Candidates come from
    every extractor with a source priority (tables 1; prose, when it lands, 2): the lowest priority number wins,
    so a table value beats a prose value for the same key. A NULL value is a cell the report left blank (or
    marked /, -, 无): cell_meaning says which.
-#}
with table_values as (
    select * from {{ ref('int_table_values_resolved') }}
),

candidate_values as (
    select
        report_id,
        indicator_code,
        applicant_type,
        value,
        unit,
        is_approximate,
        source_kind,
        1 as source_priority,
        cell_meaning,
        note,
        table_kind,
        template,
        row_label,
        column_label,
        raw_cell_text,
        extraction_method,
        line_no,
        start_offset,
        end_offset,
        evidence
    from table_values
),

ranked_values as (
    select
        *,
        row_number() over (
            partition by report_id, indicator_code, applicant_type
            order by source_priority, start_offset
        ) as candidate_rank
    from candidate_values
),

final as (
    select * exclude (candidate_rank, source_priority)
    from ranked_values
    where candidate_rank = 1
)

select * from final
