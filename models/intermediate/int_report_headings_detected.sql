-- depends_on: {{ ref('section_headings') }}
-- depends_on: {{ ref('text_cues') }}

{#-
    Top-level section headings (一、 二、 ...): at the start of a line, or inside a line (reports
    flattened to one line) when the words after the numeral are a known heading (seed
    section_headings). Sub-headings (（一）) are never candidates. The first heading of each number
    is kept while the numbers run 1, 2, 3 ... in text order: the 一、 rows of a statistics table
    that follows 八、附表 do not start new sections. A short unnumbered line after the last numbered
    heading that reads like an appendix (附表: 政府信息公开情况统计表) starts an appendix_table
    section, unless a numbered heading is one already.
-#}
{%- set headings = seed_rows('section_headings', ['heading_pattern_id', 'section_type', 'pattern']) -%}
{%- set appendix_headings = headings | selectattr(1, 'equalto', 'appendix_table') | list -%}
{%- set numerals = seed_rows('chinese_numerals', ['numeral', 'numeral_value'], order_by='length(numeral) desc') -%}
{%- set numeral_class = '[' ~ (numerals | map(attribute=0) | join('') | list | unique | join('')) ~ ']' -%}
{%- set heading_start_pattern = '(?:^|[。;!?\s])\s*' ~ numeral_class ~ '{1,2}、' -%}
{%- set max_line_heading_chars = var('max_line_heading_chars', 50) -%}
{%- set table_row_max_chars = var('table_row_max_chars', 300) %}

with report_lines as (
    select * from {{ ref('stg_report_lines') }}
),

chinese_numerals as (
    select * from {{ ref('chinese_numerals') }}
),

content_lines as (
    select report_id, line_no, start_offset, line
    from report_lines
    where not is_furniture
        and not is_blank
        and not {{ matches_any_cue('trimmed_line', 'page_number') }}
        -- table rows are short lines; a report flattened to one line keeps its headings
        and not (length(line) <= {{ table_row_max_chars }} and {{ matches_any_cue('line', 'table_row') }})
),

numeral_matches as (
    {{ explode_regexp_matches('content_lines', ['report_id', 'line_no'], 'line', string_literal(heading_start_pattern)) }}
),

candidates as (
    select
        numeral_matches.report_id,
        numeral_matches.line_no,
        content_lines.line,
        content_lines.start_offset as line_start_offset,
        {{ regexp_extract('numeral_matches.match_text', string_literal('(' ~ numeral_class ~ '{1,2})、$'), 1) }} as numeral,
        numeral_matches.match_offset + length(numeral_matches.match_text)
            - length({{ regexp_extract('numeral_matches.match_text', string_literal(numeral_class ~ '{1,2}、$'), 0) }})
            as heading_offset_in_line
    from numeral_matches
    inner join content_lines
        on numeral_matches.report_id = content_lines.report_id and numeral_matches.line_no = content_lines.line_no
),

typed as (
    select
        candidates.*,
        chinese_numerals.numeral_value,
        trim(substring(candidates.line, 1, candidates.heading_offset_in_line)) = '' as is_line_start,
        {{ trim_blanks('substring(candidates.line, candidates.heading_offset_in_line + 1)') }} as rest_of_line,
        substring(candidates.line, candidates.heading_offset_in_line + length(candidates.numeral) + 2, 60) as heading_words
    from candidates
    inner join chinese_numerals on candidates.numeral = chinese_numerals.numeral
),

classified as (
    select
        *,
        case
            {%- for heading in headings %}
            when {{ regexp_matches('heading_words', string_literal(heading[2])) }} then '{{ heading[1] }}'
            {%- endfor %}
        end as section_type,
        case
            {%- for heading in headings %}
            when {{ regexp_matches('heading_words', string_literal(heading[2])) }}
                then {{ regexp_extract('heading_words', string_literal(heading[2]), 0) }}
            {%- endfor %}
        end as heading_phrase
    from typed
),

kept as (
    select
        *,
        -- of the headings with one number, a known one (seed section_headings) before an unknown one
        row_number() over (
            partition by report_id, numeral_value
            order by case when section_type is null then 1 else 0 end, line_no, heading_offset_in_line
        ) as occurrence
    from classified
    where is_line_start or section_type is not null
),

first_occurrences as (
    select
        *,
        row_number() over (partition by report_id order by line_no, heading_offset_in_line) as position_in_text
    from kept
    where occurrence = 1
),

in_sequence as (
    select
        *,
        sum(case when numeral_value <> position_in_text then 1 else 0 end) over (
            partition by report_id order by position_in_text rows between unbounded preceding and current row
        ) as breaks_so_far
    from first_occurrences
),

numbered_headings as (
    select
        report_id,
        numeral_value as section_no,
        coalesce(section_type, 'other') as section_type,
        case
            when is_line_start and length(rest_of_line) <= {{ max_line_heading_chars }} then rest_of_line
            when heading_phrase is not null then numeral || '、' || heading_phrase
            else numeral || '、' || {{ regexp_extract('heading_words', string_literal('^[^。,;:!?]{1,30}'), 0) }}
        end as heading,
        line_no,
        line_start_offset + heading_offset_in_line as start_offset,
        is_line_start
    from in_sequence
    where breaks_so_far = 0
),

last_numbered_headings as (
    select
        report_id,
        max(section_no) as last_section_no,
        max(line_no) as last_line_no,
        max(case when section_type = 'appendix_table' then 1 else 0 end) = 1 as has_appendix
    from numbered_headings
    group by report_id
),

unnumbered_appendices as (
    select
        content_lines.report_id,
        coalesce(last_numbered_headings.last_section_no, 0) + 1 as section_no,
        'appendix_table' as section_type,
        {{ trim_blanks('content_lines.line') }} as heading,
        content_lines.line_no,
        content_lines.start_offset + length(content_lines.line)
            - length({{ regexp_extract('content_lines.line', string_literal('\S.*$'), 0) }}) as start_offset,
        true as is_line_start,
        row_number() over (partition by content_lines.report_id order by content_lines.line_no) as appendix_no
    from content_lines
    left join last_numbered_headings on content_lines.report_id = last_numbered_headings.report_id
    where content_lines.line_no > coalesce(last_numbered_headings.last_line_no, 0)
        and not coalesce(last_numbered_headings.has_appendix, false)
        and length({{ trim_blanks('content_lines.line') }}) <= {{ max_line_heading_chars }}
        and not {{ regexp_matches('content_lines.line', string_literal('^\s*' ~ numeral_class ~ '{1,2}、')) }}
        and (
            {%- for heading in appendix_headings %}
            {{ regexp_matches(trim_blanks('content_lines.line'), string_literal(heading[2])) }}{{ ' or' if not loop.last }}
            {%- endfor %}
        )
),

final as (
    select report_id, section_no, section_type, heading, line_no, start_offset, is_line_start
    from numbered_headings
    union all
    select report_id, section_no, section_type, heading, line_no, start_offset, is_line_start
    from unnumbered_appendices
    where appendix_no = 1
)

select * from final
