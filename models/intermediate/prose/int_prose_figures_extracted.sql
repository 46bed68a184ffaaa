{#-
    Every figure the report text states: a number (Arabic or Chinese numerals, with 万/亿, decimals and
    thousands separators) followed by a unit (seed units), with the qualifiers that make it approximate
    (seed figure_qualifiers: 约, 近, 余, 多, 左右 …), the clause around it and its offsets in the report text.
    Ordinals (第3次) and numbers glued to a preceding digit are not figures.
-#}
{{ config(materialized='table') }}
-- depends_on: {{ ref('units') }}
-- depends_on: {{ ref('figure_qualifiers') }}

{%- set figure_pattern = zfxxgk.string_literal(prose_figure_pattern()) %}
{%- set delimiters = var('prose_clause_delimiters') %}
{%- set clause_tail = zfxxgk.string_literal('[^' ~ delimiters ~ ']*$') %}
{%- set clause_head = zfxxgk.string_literal('^[^' ~ delimiters ~ ']*') %}

with lines as (
    select report_id, line_no, start_offset, line
    from {{ ref('stg_report_lines') }}
    where not is_blank and not is_furniture
),

figure_matches as (
    {{ explode_regexp_matches('lines', ['report_id', 'line_no'], 'line', figure_pattern) }}
),

figures_in_lines as (
    select
        figure_matches.report_id,
        figure_matches.line_no,
        figure_matches.match_no as figure_no,
        figure_matches.match_text as figure_text,
        figure_matches.match_offset,
        lines.start_offset as line_start_offset,
        substring(lines.line, 1, cast(figure_matches.match_offset as integer)) as line_before,
        substring(lines.line, cast(figure_matches.match_offset + length(figure_matches.match_text) + 1 as integer))
            as line_after,
        -- the cue of a figure sits between the previous figure (or the clause start) and this one
        {{ zfxxgk.regexp_extract('figure_matches.text_before', clause_tail) }} as clause_before
    from figure_matches
    inner join lines
        on figure_matches.report_id = lines.report_id
        and figure_matches.line_no = lines.line_no
),

figure_parts as (
    select
        *,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 1) }} as qualifier_before_number,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 2) }} as number_text,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 3) }} as multiplier,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 4) }} as qualifier_before_unit,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 5) }} as unit_as_written,
        {{ zfxxgk.regexp_extract('figure_text', figure_pattern, 6) }} as qualifier_after_unit,
        {{ zfxxgk.regexp_extract('line_before', clause_tail) }} as clause_start_text,
        {{ zfxxgk.regexp_extract('line_after', clause_head) }} as clause_after
    from figures_in_lines
),

figure_values as (
    select
        *,
        case
            when {{ zfxxgk.regexp_matches('number_text', "'^[0-9]'") }}
                then try_cast(replace(number_text, ',', '') as decimal(18, 4))
            else cast({{ chinese_numeral_value('number_text') }} as decimal(18, 4))
        end as number_value,
        case multiplier when '万' then 10000 when '亿' then 100000000 else 1 end as multiplier_value
    from figure_parts
),

final as (
    select
        report_id,
        line_no,
        figure_no,
        figure_text,
        number_text,
        multiplier,
        -- 6万元 reads as 6 × 万 + 元: money is kept in 万元 when written so
        case when unit_as_written = '元' and multiplier in ('万', '亿') then '万元' else unit_as_written end as unit,
        cast(
            number_value * case
                when unit_as_written = '元' and multiplier = '万' then 1
                when unit_as_written = '元' and multiplier = '亿' then 10000
                else multiplier_value
            end
            as decimal(18, 4)
        ) as value,
        nullif(qualifier_before_number || qualifier_before_unit || qualifier_after_unit, '') as approximation,
        (qualifier_before_number || qualifier_before_unit || qualifier_after_unit) <> '' as is_approximate,
        clause_before,
        clause_after,
        clause_start_text || figure_text || clause_after as clause_text,
        line_start_offset + match_offset as start_offset,
        line_start_offset + match_offset + length(figure_text) as end_offset,
        line_start_offset + match_offset - length(clause_start_text) as clause_start_offset,
        line_start_offset + match_offset + length(figure_text) + length(clause_after) as clause_end_offset
    from figure_values
    where
        number_value is not null
        -- an ordinal (第3次) or the tail of a longer number is not a figure
        and not {{ zfxxgk.regexp_matches('line_before', "'(第|[0-9.])$'") }}
)

select * from final
