{#- Incremental like the per-report models of intermediate (macros/incremental_reports.sql). -#}
{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_reports_to_rebuild() }}") }}
-- depends_on: {{ ref('web_furniture_patterns') }}

with reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

furniture_patterns as (
    select pattern_id, category from {{ ref('web_furniture_patterns') }}
),

lines as (
    {{ explode_lines('reports', 'report_id', 'text') }}
),

positioned_lines as (
    select
        report_id,
        line_no,
        line,
        cast(coalesce(
            sum(length(line) + 1) over (
                partition by report_id order by line_no rows between unbounded preceding and 1 preceding
            ),
            0
        ) as bigint) as start_offset,
        {{ trim_blanks('line') }} as trimmed_line
    from lines
),

matched_lines as (
    select
        *,
        case
            when length(trimmed_line) between 1 and {{ var('furniture_max_line_chars', 120) }}
                then {{ furniture_pattern_id('trimmed_line') }}
        end as furniture_pattern_id
    from positioned_lines
),

final as (
    select
        matched_lines.report_id,
        matched_lines.line_no,
        matched_lines.start_offset,
        matched_lines.start_offset + length(matched_lines.line) as end_offset,
        matched_lines.line,
        matched_lines.trimmed_line,
        length(matched_lines.trimmed_line) = 0 as is_blank,
        matched_lines.furniture_pattern_id is not null as is_furniture,
        furniture_patterns.category as furniture_kind,
        matched_lines.furniture_pattern_id
    from matched_lines
    left join furniture_patterns on matched_lines.furniture_pattern_id = furniture_patterns.pattern_id
)

select * from final
