{#-
    Statements that something did not happen (没有发生…行政复议, 未收到…申请, text_cues prose_negation) give
    0 to each indicator whose topic (seed prose_negation_cues) the rest of the clause names: one clause may
    give several (没有出现复议、诉讼和申诉情况). A clause that names an exclusion (没有发生行政复议被纠错)
    gives nothing for that indicator. One row per negation clause and indicator.
-#}
{{ config(materialized='table') }}
-- depends_on: {{ ref('text_cues') }}
-- depends_on: {{ ref('prose_negation_cues') }}

{%- set negation_words = seed_rows('text_cues', ['cue_id', 'pattern'], "cue_kind = 'prose_negation'")
    | map(attribute=1) | join('|') %}
{%- set delimiters = var('prose_clause_delimiters') %}
{%- set negation_pattern = zfxxgk.string_literal('(?:' ~ negation_words ~ ')[^' ~ delimiters ~ ']*') %}
{%- set clause_tail = zfxxgk.string_literal('[^' ~ delimiters ~ ']*$') %}
{%- set topics = seed_rows(
    'prose_negation_cues', ['cue_id', 'indicator_code', 'topic_pattern', 'exclude_pattern', 'specificity']) %}

with lines as (
    select report_id, line_no, start_offset, line
    from {{ ref('stg_report_lines') }}
    where not is_blank and not is_furniture
),

negation_matches as (
    {{ explode_regexp_matches('lines', ['report_id', 'line_no'], 'line', negation_pattern) }}
),

negation_clauses as (
    select
        negation_matches.report_id,
        negation_matches.line_no,
        negation_matches.match_no as negation_no,
        negation_matches.match_text as negated_text,
        {{ zfxxgk.regexp_extract(
            'substring(lines.line, 1, cast(negation_matches.match_offset as integer))', clause_tail) }}
            as clause_start_text,
        lines.start_offset + negation_matches.match_offset as negation_offset
    from negation_matches
    inner join lines
        on negation_matches.report_id = lines.report_id
        and negation_matches.line_no = lines.line_no
),

topic_matches as (
    {%- for topic in topics %}
    select
        report_id,
        line_no,
        negation_no,
        {{ topic[0] }} as cue_id,
        {{ zfxxgk.string_literal(topic[1]) }} as indicator_code,
        {{ topic[4] }} as specificity
    from negation_clauses
    where
        {{ zfxxgk.regexp_matches('negated_text', zfxxgk.string_literal(topic[2])) }}
        {%- if topic[3] %}
        and not {{ zfxxgk.regexp_matches('clause_start_text || negated_text', zfxxgk.string_literal(topic[3])) }}
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        negation_clauses.report_id,
        negation_clauses.line_no,
        negation_clauses.negation_no,
        topic_matches.indicator_code,
        topic_matches.cue_id,
        topic_matches.specificity,
        cast(0 as decimal(18, 4)) as value,
        negation_clauses.negated_text,
        negation_clauses.clause_start_text || negation_clauses.negated_text as clause_text,
        negation_clauses.negation_offset as start_offset,
        negation_clauses.negation_offset + length(negation_clauses.negated_text) as end_offset,
        negation_clauses.negation_offset - length(negation_clauses.clause_start_text) as clause_start_offset,
        negation_clauses.negation_offset + length(negation_clauses.negated_text) as clause_end_offset
    from topic_matches
    inner join negation_clauses
        on topic_matches.report_id = negation_clauses.report_id
        and topic_matches.line_no = negation_clauses.line_no
        and topic_matches.negation_no = negation_clauses.negation_no
)

select * from final
