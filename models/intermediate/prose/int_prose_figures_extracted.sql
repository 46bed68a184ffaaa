{#-
    Every figure the report text states: a number (Arabic or Chinese numerals, with 万/亿, decimals and
    thousands separators) followed by a unit (seed units), with the qualifiers that make it approximate
    (seed figure_qualifiers: 约, 近, 余, 多, 左右 …), the clause around it and its offsets in the report text.
    Ordinals (第3次), numbers glued to a preceding digit and numbers inside a quotation or a title (创业富民30条)
    are not figures. A figure after 其中 (text_cues
    prose_part) and an earlier figure of its sentence is a part of that figure (is_part): 主动公开政府信息3650条，
    其中主动公开政府文件信息420条; a sentence that starts with 其中 goes on the sentence before it.
-#}
-- depends_on: {{ ref('units') }}
-- depends_on: {{ ref('figure_qualifiers') }}
-- depends_on: {{ ref('text_cues') }}

{%- set figure_pattern = zfxxgk.string_literal(prose_figure_pattern()) %}
{%- set delimiters = var('prose_clause_delimiters') %}
{%- set clause_tail = zfxxgk.string_literal('[^' ~ delimiters ~ ']*$') %}
{%- set clause_head = zfxxgk.string_literal('^[^' ~ delimiters ~ ']*') %}
{%- set sentence_end = zfxxgk.string_literal('[' ~ var('prose_sentence_delimiters') ~ ']') %}
{%- set sentence_end_before_part = zfxxgk.string_literal(
    '[' ~ var('prose_sentence_delimiters') ~ ']\\s*(' ~ (seed_rows('text_cues', ['pattern'], "cue_kind = 'prose_part'")
        | map(attribute=0) | join('|')) ~ ')') %}

with paragraphs as (
    select report_id, paragraph_no, paragraph_text from {{ ref('int_prose_paragraphs_assembled') }}
    where {{ in_reports_to_build('changed') }}
),

paragraph_lines as (
    select report_id, paragraph_no, line_rank, line_no, start_offset from {{ ref('int_prose_lines_grouped') }}
    where {{ in_reports_to_build('changed') }}
),

figure_matches as (
    {{ explode_regexp_matches('paragraphs', ['report_id', 'paragraph_no'], 'paragraph_text', figure_pattern) }}
),

figures_in_paragraphs as (
    select
        figure_matches.report_id,
        figure_matches.paragraph_no,
        figure_matches.match_no as figure_no,
        figure_matches.match_text as figure_text,
        figure_matches.match_offset,
        figure_matches.text_before,
        substring(paragraphs.paragraph_text, 1, cast(figure_matches.match_offset as integer)) as paragraph_before,
        substring(
            paragraphs.paragraph_text,
            cast(figure_matches.match_offset + length(figure_matches.match_text) + 1 as integer)
        ) as paragraph_after
    from figure_matches
    inner join paragraphs
        on figure_matches.report_id = paragraphs.report_id
        and figure_matches.paragraph_no = paragraphs.paragraph_no
),

-- where a figure starts in its paragraph: the line (1 + line breaks before it) and the offset in that line; where it
-- ends follows from the line breaks inside the figure (PDF text: 1136\n条), so the paragraph is not copied again
figures_located as (
    select
        *,
        {{ line_rank_in_paragraph('paragraph_before') }} as start_line_rank,
        {{ offset_in_line('paragraph_before') }} as start_offset_in_line,
        length(figure_text) - length(replace(figure_text, chr(10), '')) as figure_line_breaks
    from figures_in_paragraphs
),

figures_in_lines as (
    select
        figures_located.*,
        start_lines.line_no,
        start_lines.start_offset + figures_located.start_offset_in_line as start_offset,
        end_lines.start_offset
            + case
                when figures_located.figure_line_breaks = 0
                    then figures_located.start_offset_in_line + length(figures_located.figure_text)
                else {{ offset_in_line('figures_located.figure_text') }}
            end as end_offset,
        -- the cue of a figure sits between the previous figure (or the clause start) and this one
        {{ zfxxgk.regexp_extract('figures_located.text_before', clause_tail) }} as clause_before_as_written
    from figures_located
    inner join paragraph_lines as start_lines
        on figures_located.report_id = start_lines.report_id
        and figures_located.paragraph_no = start_lines.paragraph_no
        and start_lines.line_rank = figures_located.start_line_rank
    inner join paragraph_lines as end_lines
        on figures_located.report_id = end_lines.report_id
        and figures_located.paragraph_no = end_lines.paragraph_no
        and end_lines.line_rank = figures_located.start_line_rank + figures_located.figure_line_breaks
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
        {{ zfxxgk.regexp_extract('paragraph_before', clause_tail) }} as clause_start_text,
        {{ zfxxgk.regexp_extract('paragraph_after', clause_head) }} as clause_after_as_written
    from figures_in_lines
),

figure_values as (
    select
        *,
        case
            when {{ zfxxgk.regexp_matches('number_text', "'^[0-9]'") }}
                then try_cast(replace(number_text, ',', '') as {{ indicator_value_type() }})
            else cast({{ chinese_numeral_value('number_text') }} as {{ indicator_value_type() }})
        end as number_value,
        case multiplier when '万' then 10000 when '亿' then 100000000 else 1 end as multiplier_value
    from figure_parts
),

figures as (
    select
        report_id,
        line_no,
        paragraph_no,
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
            as {{ indicator_value_type() }}
        ) as value,
        nullif(qualifier_before_number || qualifier_before_unit || qualifier_after_unit, '') as approximation,
        (qualifier_before_number || qualifier_before_unit || qualifier_after_unit) <> '' as is_approximate,
        -- cues read the clause without spaces and line breaks (PDF text: 政府信息 1136 条, 在政\n府网站)
        {{ zfxxgk.regexp_replace_all('clause_before_as_written', "'\\s+'", "''") }} as clause_before,
        {{ zfxxgk.regexp_replace_all('clause_after_as_written', "'\\s+'", "''") }} as clause_after,
        clause_start_text || figure_text || clause_after_as_written as clause_text,
        start_offset,
        end_offset,
        start_offset - length(clause_start_text) as clause_start_offset,
        end_offset + length(clause_after_as_written) as clause_end_offset,
        -- the sentence of the figure in its paragraph: the sentence ends before it, but for those before 其中
        -- (a sentence starting with 其中 goes on the one before)
        length({{ zfxxgk.regexp_replace_all('paragraph_before', sentence_end_before_part, "''") }})
            - length({{ zfxxgk.regexp_replace_all(
                zfxxgk.regexp_replace_all('paragraph_before', sentence_end_before_part, "''"), sentence_end, "''") }})
            as sentence_no,
        {{ matches_any_cue('text_before', 'prose_part') }} as follows_part_word
    from figure_values
    where
        number_value is not null
        -- an ordinal (第3次) or the tail of a longer number is not a figure
        and not {{ zfxxgk.regexp_matches('paragraph_before', "'(第\\s*|[0-9.])$'") }}
        -- nor a number inside a quotation or title ("创业富民30条", 《10件惠企实事》): text_cues prose_quoted
        and not {{ matches_any_cue('clause_start_text', 'prose_quoted') }}
),

-- a part: after 其中 and an earlier figure of the same sentence (the 其中 sits between two figures of it)
figures_with_previous as (
    select
        *,
        lag(sentence_no) over (partition by report_id, paragraph_no order by figure_no) as previous_sentence_no
    from figures
),

final as (
    select
        report_id,
        line_no,
        paragraph_no,
        figure_no,
        figure_text,
        number_text,
        multiplier,
        unit,
        value,
        approximation,
        is_approximate,
        clause_before,
        clause_after,
        clause_text,
        start_offset,
        end_offset,
        clause_start_offset,
        clause_end_offset,
        sentence_no,
        coalesce(
            bool_or(follows_part_word and previous_sentence_no = sentence_no) over (
                partition by report_id, paragraph_no, sentence_no
                order by figure_no rows between unbounded preceding and current row
            ),
            false
        ) as is_part
    from figures_with_previous
)

select * from final
