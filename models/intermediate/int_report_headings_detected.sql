-- depends_on: {{ ref('section_headings') }}
-- depends_on: {{ ref('text_cues') }}

{#-
    Top-level section headings (一、 二、 ...): at the start of a line, or inside a line (reports
    flattened to one line, where a heading may follow the last cell of a table: 1265.38三、收到和处理…)
    when the words after the numeral are a known heading (seed section_headings) that does not run
    on into a list (一、总体情况,二、… in a preamble's table of contents). Sub-headings (（一）) are
    never candidates. The headings are chained by their numbers in text order: 一、 is the first
    heading numbered 1, 二、 the first numbered 2 after it, and so on (a known heading before an
    unknown one), so that the 一、 rows of a statistics table, or a numbered phrase after the
    section it could belong to, start no section. An unknown heading inside a line is taken only
    where it fills a gap: after a sentence or a cell ends, with the next known heading numbered one
    more (…。二、学习借鉴 稳步推进… 三、主动公开政府信息情况). A short unnumbered line after the last
    numbered heading that reads like an appendix (附表: 政府信息公开情况统计表) starts an
    appendix_table section, unless a numbered heading is one already.
-#}
{%- set headings = seed_rows('section_headings', ['heading_pattern_id', 'section_type', 'pattern']) -%}
{%- set appendix_headings = headings | selectattr(1, 'equalto', 'appendix_table') | list -%}
{%- set numerals = seed_rows('chinese_numerals', ['numeral', 'numeral_value'], order_by='length(numeral) desc') -%}
{%- set numeral_chars = numerals | map(attribute=0) | join('') | list | unique | join('') -%}
{%- set numeral_class = '[' ~ numeral_chars ~ ']' -%}
{#- 一、 (numbered) or (一) (parenthesised); a numeral after 第 or after another numeral character (第(一)项, 十二、's 二) starts no heading -#}
{%- set marker_pattern = numeral_class ~ '{1,2}、|[（(]' ~ numeral_class ~ '{1,2}[）)]' -%}
{%- set heading_start_pattern = '(?:^|[^第' ~ numeral_chars ~ '])(?:' ~ marker_pattern ~ ')' -%}
{%- set break_before_pattern = '[。;；!！?？:：|]\s*$' -%}
{%- set list_separators = [',', '，', ';', '；', '、'] -%}
{#- words that run into another numbered item or a table cell are no heading inside a line -#}
{%- set crossing_pattern = marker_pattern ~ '|\\|' -%}
{#- the words of an unknown heading inside a line: up to the end of its clause -#}
{%- set unknown_heading_pattern = '^[^。,;:!?]{1,30}' -%}
{%- set max_line_heading_chars = var('max_line_heading_chars', 50) -%}
{%- set table_row_max_chars = var('table_row_max_chars', 300) %}

with recursive report_lines as (
    select * from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

chinese_numerals as (
    select * from {{ ref('chinese_numerals') }}
),

content_lines as {{ materialized() }} (
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
        {{ regexp_extract('numeral_matches.match_text', string_literal('(' ~ numeral_class ~ '{1,2})(?:、|[）)])$'), 1) }} as numeral,
        {{ regexp_extract('numeral_matches.match_text', string_literal('(?:' ~ marker_pattern ~ ')$'), 0) }} as marker,
        case
            when {{ regexp_matches('numeral_matches.match_text', string_literal('、$')) }} then 'numbered'
            else 'parenthesised'
        end as marker_style,
        numeral_matches.match_offset + length(numeral_matches.match_text)
            - length({{ regexp_extract('numeral_matches.match_text', string_literal('(?:' ~ marker_pattern ~ ')$'), 0) }})
            as heading_offset_in_line
    from numeral_matches
    inner join content_lines
        on numeral_matches.report_id = content_lines.report_id and numeral_matches.line_no = content_lines.line_no
),

typed as (
    select
        candidates.*,
        chinese_numerals.numeral_value,
        candidates.line_start_offset + candidates.heading_offset_in_line as start_offset,
        trim(substring(candidates.line, 1, candidates.heading_offset_in_line)) = '' as is_line_start,
        {{ regexp_matches(
            'substring(candidates.line, 1, candidates.heading_offset_in_line)', string_literal(break_before_pattern)
        ) }} as follows_break,
        substring(candidates.line, candidates.heading_offset_in_line + length(candidates.marker) + 1, 60) as words_after
    from candidates
    inner join chinese_numerals on candidates.numeral = chinese_numerals.numeral
),

spaced as (
    select
        *,
        -- the words after the numeral, without the blanks between (一、 概述)
        {{ regexp_replace_all('words_after', string_literal('^\s+'), "''") }} as heading_words
    from typed
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
    from spaced
),

read_as_headings as (
    select
        *,
        section_type is not null
            and (
                is_line_start
                or (
                    substring(heading_words, length(heading_phrase) + 1, 1) not in (
                        {%- for separator in list_separators %}
                        {{ string_literal(separator) }}{{ ', ' if not loop.last }}
                        {%- endfor %}
                    )
                    and not {{ regexp_matches('heading_phrase', string_literal(crossing_pattern)) }}
                )
            ) as is_known_heading
    from classified
),

known_headings as (
    select report_id, start_offset, numeral_value
    from read_as_headings
    where is_known_heading and marker_style = 'numbered'
),

inline_unknown_headings as (
    select report_id, start_offset, numeral_value
    from read_as_headings
    where marker_style = 'numbered'
        and not is_line_start
        and section_type is null
        and follows_break
        -- a row label of a table flattened with its cells (三、本年度办理结果 | (一)予以公开 | 0) is no heading
        and not {{ regexp_matches(
            regexp_extract('heading_words', string_literal(unknown_heading_pattern), 0),
            string_literal(crossing_pattern ~ '|\t')
        ) }}
),

next_known_after_unknown as (
    select
        inline_unknown_headings.report_id,
        inline_unknown_headings.start_offset,
        inline_unknown_headings.numeral_value,
        min(known_headings.start_offset) as next_known_offset
    from inline_unknown_headings
    inner join known_headings
        on inline_unknown_headings.report_id = known_headings.report_id
        and known_headings.start_offset > inline_unknown_headings.start_offset
    group by inline_unknown_headings.report_id, inline_unknown_headings.start_offset, inline_unknown_headings.numeral_value
),

gap_filling_headings as (
    -- an unknown heading inside a line, just before the known heading numbered one more
    select next_known_after_unknown.report_id, next_known_after_unknown.start_offset
    from next_known_after_unknown
    inner join known_headings
        on next_known_after_unknown.report_id = known_headings.report_id
        and next_known_after_unknown.next_known_offset = known_headings.start_offset
    where known_headings.numeral_value = next_known_after_unknown.numeral_value + 1
),

anchors as (
    select
        read_as_headings.*,
        case when read_as_headings.is_known_heading then 0 else 1 end as preference
    from read_as_headings
    left join gap_filling_headings
        on read_as_headings.report_id = gap_filling_headings.report_id
        and read_as_headings.start_offset = gap_filling_headings.start_offset
    where read_as_headings.is_known_heading
        or (
            read_as_headings.marker_style = 'numbered'
            and read_as_headings.is_line_start
            and read_as_headings.section_type is null
        )
        or gap_filling_headings.start_offset is not null
),

{#
    the chain of numbers, for each marker style: the heading numbered n is the first (known before unknown)
    after the one numbered n - 1. Each anchor's successor is found first (the first anchor of the next number
    after it), and the chain follows the successors from the first anchor of the first number: a recursive CTE
    whose step is a plain join, as Spark takes no window function in the step, and a CTE per number would be
    inlined into a plan too large to analyse there.
#}
numeral_steps as (
    select
        numeral_value,
        lead(numeral_value) over (order by numeral_value) as next_numeral_value
    from (select distinct numeral_value from chinese_numerals) as numeral_values
),

anchor_positions as (
    select distinct report_id, marker_style, numeral_value, start_offset from anchors
),

anchor_successors as (
    select report_id, marker_style, numeral_value, start_offset, next_numeral_value, next_start_offset
    from (
        select
            anchor_positions.report_id,
            anchor_positions.marker_style,
            anchor_positions.numeral_value,
            anchor_positions.start_offset,
            numeral_steps.next_numeral_value,
            anchors.start_offset as next_start_offset,
            row_number() over (
                partition by
                    anchor_positions.report_id,
                    anchor_positions.marker_style,
                    anchor_positions.numeral_value,
                    anchor_positions.start_offset
                order by anchors.preference, anchors.start_offset
            ) as pick
        from anchor_positions
        inner join numeral_steps on anchor_positions.numeral_value = numeral_steps.numeral_value
        inner join anchors
            on anchor_positions.report_id = anchors.report_id
            and anchor_positions.marker_style = anchors.marker_style
            and anchors.numeral_value = numeral_steps.next_numeral_value
            and anchors.start_offset > anchor_positions.start_offset
    ) as ranked
    where pick = 1
),

chain_starts as (
    select report_id, marker_style, numeral_value, start_offset
    from (
        select
            report_id,
            marker_style,
            numeral_value,
            start_offset,
            row_number() over (partition by report_id, marker_style order by preference, start_offset) as pick
        from anchors
        where numeral_value = (select min(numeral_value) from chinese_numerals)
    ) as ranked
    where pick = 1
),

chain_links as (
    select report_id, marker_style, numeral_value, start_offset from chain_starts
    union all
    select
        anchor_successors.report_id,
        anchor_successors.marker_style,
        anchor_successors.next_numeral_value as numeral_value,
        anchor_successors.next_start_offset as start_offset
    from chain_links
    inner join anchor_successors
        on chain_links.report_id = anchor_successors.report_id
        and chain_links.marker_style = anchor_successors.marker_style
        and chain_links.numeral_value = anchor_successors.numeral_value
        and chain_links.start_offset = anchor_successors.start_offset
),

chained as (
    select report_id, marker_style, start_offset from chain_links
),

reports_numbered_from_one as (
    -- reports with a chain of 一、 headings, or a 一、 that starts a sentence (no table row)
    select report_id from chained where marker_style = 'numbered'
    union
    select report_id from inline_unknown_headings where numeral_value = 1
),

parenthesised_chains as (
    select report_id, count(*) as heading_count
    from chained
    where marker_style = 'parenthesised'
    group by report_id
),

chosen as (
    -- the 一、 headings; (一) headings only in a report with no 一、 at all, where two or more known ones run in order
    select chained.report_id, chained.start_offset
    from chained
    left join reports_numbered_from_one on chained.report_id = reports_numbered_from_one.report_id
    left join parenthesised_chains on chained.report_id = parenthesised_chains.report_id
    where chained.marker_style = 'numbered'
        or (reports_numbered_from_one.report_id is null and parenthesised_chains.heading_count >= 2)
),

-- the anchors chosen, with the rest of the line of those that start it (cut only here: a report flattened to one
-- line has many anchors in one long line)
chosen_anchors as (
    select
        anchors.*,
        case
            when anchors.is_line_start
                then {{ trim_blanks('substring(anchors.line, anchors.heading_offset_in_line + 1)') }}
        end as rest_of_line
    from anchors
    inner join chosen
        on anchors.report_id = chosen.report_id and anchors.start_offset = chosen.start_offset
),

numbered_headings as (
    select
        anchors.report_id,
        anchors.numeral_value as section_no,
        coalesce(anchors.section_type, 'other') as section_type,
        case
            when anchors.is_line_start and length(anchors.rest_of_line) <= {{ max_line_heading_chars }}
                then anchors.rest_of_line
            when anchors.heading_phrase is not null
                then anchors.marker || substring(
                    anchors.words_after, 1,
                    length(anchors.words_after) - length(anchors.heading_words) + length(anchors.heading_phrase)
                )
            else anchors.marker || {{ regexp_extract('anchors.words_after', string_literal(unknown_heading_pattern), 0) }}
        end as heading,
        anchors.line_no,
        anchors.start_offset,
        anchors.is_line_start
    from chosen_anchors as anchors
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
