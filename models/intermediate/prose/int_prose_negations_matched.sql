{#-
    Statements that something did not happen (没有发生…行政复议, 未收到…申请, text_cues prose_negation) give
    0 to each indicator whose topic (seed prose_negation_cues) the rest of the clause names: one clause may
    give several (没有出现复议、诉讼和申诉情况). A clause that names an exclusion (没有发生行政复议被纠错)
    gives nothing for that indicator. One row per negation clause and indicator.
-#}
-- depends_on: {{ ref('text_cues') }}
-- depends_on: {{ ref('prose_negation_cues') }}

{%- set negation_words = seed_rows('text_cues', ['cue_id', 'pattern'], "cue_kind = 'prose_negation'")
    | map(attribute=1) | join('|') %}
{%- set delimiters = var('prose_clause_delimiters') %}
{%- set negation_pattern = zfxxgk.string_literal('(?:' ~ negation_words ~ ')[^' ~ delimiters ~ ']*') %}
{%- set clause_tail = zfxxgk.string_literal('[^' ~ delimiters ~ ']*$') %}
{%- set topics = seed_rows(
    'prose_negation_cues', ['cue_id', 'indicator_code', 'topic_pattern', 'exclude_pattern', 'specificity']) %}

with paragraphs as (
    select report_id, paragraph_no, paragraph_text from {{ ref('int_prose_paragraphs_assembled') }}
    where {{ in_reports_to_build('changed') }}
),

paragraph_lines as (
    select report_id, paragraph_no, line_rank, line_no, start_offset from {{ ref('int_prose_lines_grouped') }}
    where {{ in_reports_to_build('changed') }}
),

negation_matches as (
    {{ explode_regexp_matches('paragraphs', ['report_id', 'paragraph_no'], 'paragraph_text', negation_pattern) }}
),

negations_in_paragraphs as (
    select
        negation_matches.report_id,
        negation_matches.paragraph_no,
        negation_matches.match_no as negation_no,
        negation_matches.match_text as negated_text,
        substring(paragraphs.paragraph_text, 1, cast(negation_matches.match_offset as integer)) as paragraph_before
    from negation_matches
    inner join paragraphs
        on negation_matches.report_id = paragraphs.report_id
        and negation_matches.paragraph_no = paragraphs.paragraph_no
),

-- the line a statement starts on: the paragraph's (1 + line breaks before it)-th line
negation_clauses as (
    select
        negations_in_paragraphs.report_id,
        negations_in_paragraphs.paragraph_no,
        negations_in_paragraphs.negation_no,
        negations_in_paragraphs.negated_text,
        -- topics are read without spaces and line breaks
        {{ zfxxgk.regexp_replace_all('negations_in_paragraphs.negated_text', "'\\s+'", "''") }} as negated_words,
        {{ zfxxgk.regexp_extract('negations_in_paragraphs.paragraph_before', clause_tail) }} as clause_start_text,
        paragraph_lines.line_no,
        paragraph_lines.start_offset
            + {{ offset_in_line('negations_in_paragraphs.paragraph_before') }} as negation_offset
    from negations_in_paragraphs
    inner join paragraph_lines
        on negations_in_paragraphs.report_id = paragraph_lines.report_id
        and negations_in_paragraphs.paragraph_no = paragraph_lines.paragraph_no
        and paragraph_lines.line_rank = {{ line_rank_in_paragraph('negations_in_paragraphs.paragraph_before') }}
),

topic_matches as (
    {%- for topic in topics %}
    select
        report_id,
        paragraph_no,
        negation_no,
        {{ topic[0] }} as cue_id,
        {{ zfxxgk.string_literal(topic[1]) }} as indicator_code,
        {{ topic[4] }} as specificity
    from negation_clauses
    where
        {{ zfxxgk.regexp_matches('negated_words', zfxxgk.string_literal(topic[2])) }}
        {%- if topic[3] %}
        and not {{ zfxxgk.regexp_matches('clause_start_text || negated_words', zfxxgk.string_literal(topic[3])) }}
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        negation_clauses.report_id,
        negation_clauses.line_no,
        negation_clauses.paragraph_no,
        negation_clauses.negation_no,
        topic_matches.indicator_code,
        topic_matches.cue_id,
        topic_matches.specificity,
        cast(0 as {{ indicator_value_type() }}) as value,
        negation_clauses.negated_text,
        negation_clauses.clause_start_text || negation_clauses.negated_text as clause_text,
        negation_clauses.negation_offset as start_offset,
        negation_clauses.negation_offset + length(negation_clauses.negated_text) as end_offset,
        negation_clauses.negation_offset - length(negation_clauses.clause_start_text) as clause_start_offset,
        negation_clauses.negation_offset + length(negation_clauses.negated_text) as clause_end_offset
    from topic_matches
    inner join negation_clauses
        on topic_matches.report_id = negation_clauses.report_id
        and topic_matches.paragraph_no = negation_clauses.paragraph_no
        and topic_matches.negation_no = negation_clauses.negation_no
)

select * from final
