{#- Incremental like the per-report models of intermediate (macros/incremental_reports.sql). -#}
{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_reports_to_rebuild() }}") }}
-- depends_on: {{ ref('web_furniture_patterns') }}
{#-
    A line of the text longer than var long_line_chars (a text with no line breaks) is cut into pieces, each its
    own row: the line's units (a sentence with its end, var prose_sentence_delimiters; a sentence over 1,000
    characters in stretches of at most 1,000 that end on a clause delimiter, var line_cut_clause_delimiters, else
    on a Han character, so no Arabic number is cut) go to the piece of the var line_piece_chars window they start
    in. So no model downstream reads a line much longer than that window, and a report's cost grows linearly with
    its size. A report with no such line keeps its lines and their numbers as they are.
-#}
{%- set delimiters = var('prose_sentence_delimiters') %}
{%- set unit_pattern = string_literal(
    '[^' ~ delimiters ~ ']{0,999}[' ~ delimiters ~ ']'
    ~ '|[^' ~ delimiters ~ ']{0,999}[' ~ var('line_cut_clause_delimiters') ~ ']'
    ~ '|[^' ~ delimiters ~ ']{0,999}[' ~ han_class() ~ ']'
    ~ '|[^' ~ delimiters ~ ']{1,1000}') %}
{%- set long_line_chars = var('long_line_chars') %}
{%- set piece_chars = var('line_piece_chars') %}

with reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

furniture_patterns as (
    select pattern_id, category from {{ ref('web_furniture_patterns') }}
),

text_lines as (
    {{ explode_lines('reports', 'report_id', 'text') }}
),

positioned_text_lines as (
    select
        report_id,
        line_no as text_line_no,
        line,
        cast(coalesce(
            sum(length(line) + 1) over (
                partition by report_id order by line_no rows between unbounded preceding and 1 preceding
            ),
            0
        ) as bigint) as start_offset
    from text_lines
),

long_lines as (
    select report_id, text_line_no, start_offset, line
    from positioned_text_lines
    where length(line) > {{ long_line_chars }}
),

reports_with_long_lines as (
    select distinct report_id from long_lines
),

long_line_units as (
    {{ explode_regexp_matches(
        'long_lines', ['report_id', 'text_line_no', 'start_offset'], 'line', unit_pattern, with_offsets=false) }}
),

positioned_units as (
    select
        report_id,
        text_line_no,
        start_offset,
        match_no,
        match_text,
        coalesce(sum(length(match_text)) over (
            partition by report_id, text_line_no order by match_no rows between unbounded preceding and 1 preceding
        ), 0) as offset_in_line
    from long_line_units
),

long_line_pieces as (
    select
        report_id,
        text_line_no,
        cast(floor(offset_in_line / {{ piece_chars }}) as bigint) as piece_window,
        cast(min(start_offset + offset_in_line) as bigint) as start_offset,
        {{ string_agg_ordered('match_text', 'match_no') }} as line
    from positioned_units
    group by report_id, text_line_no, cast(floor(offset_in_line / {{ piece_chars }}) as bigint)
),

-- a report with no long line keeps its text lines as they are; in one with, rows are numbered anew
lines_of_plain_reports as (
    select
        positioned_text_lines.report_id,
        positioned_text_lines.text_line_no as line_no,
        positioned_text_lines.text_line_no,
        positioned_text_lines.start_offset,
        positioned_text_lines.line,
        true as ends_text_line
    from positioned_text_lines
    left join reports_with_long_lines on positioned_text_lines.report_id = reports_with_long_lines.report_id
    where reports_with_long_lines.report_id is null
),

rows_of_cut_reports as (
    select
        positioned_text_lines.report_id,
        positioned_text_lines.text_line_no,
        0 as piece_window,
        true as ends_text_line,
        positioned_text_lines.start_offset,
        positioned_text_lines.line
    from positioned_text_lines
    inner join reports_with_long_lines on positioned_text_lines.report_id = reports_with_long_lines.report_id
    where length(positioned_text_lines.line) <= {{ long_line_chars }}

    union all

    select
        report_id,
        text_line_no,
        piece_window,
        piece_window = max(piece_window) over (partition by report_id, text_line_no) as ends_text_line,
        start_offset,
        line
    from long_line_pieces
),

lines_of_cut_reports as (
    select
        report_id,
        row_number() over (partition by report_id order by text_line_no, piece_window) as line_no,
        text_line_no,
        start_offset,
        line,
        ends_text_line
    from rows_of_cut_reports
),

lines as (
    select * from lines_of_plain_reports
    union all
    select * from lines_of_cut_reports
),

trimmed_lines as (
    select
        *,
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
    from trimmed_lines
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
        matched_lines.furniture_pattern_id,
        matched_lines.text_line_no,
        matched_lines.ends_text_line as is_text_line_end,
        -- deprecated alias of is_text_line_end (its name before this release), removed in the next
        matched_lines.ends_text_line
    from matched_lines
    left join furniture_patterns on matched_lines.furniture_pattern_id = furniture_patterns.pattern_id
)

select * from final
