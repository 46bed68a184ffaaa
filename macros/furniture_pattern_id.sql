{#-
    The id of the first web-page-furniture pattern (seed web_furniture_patterns, in pattern_id order)
    that the column matches, else null. The patterns are read from the seed when the model runs and
    inlined as constants, so each compiles once; the model must declare
    `-- depends_on: {{ ref('web_furniture_patterns') }}`.
-#}
{% macro furniture_pattern_id(column) -%}
    {%- if execute -%}
        {%- set patterns = run_query(
            "select pattern_id, pattern from " ~ ref('web_furniture_patterns') ~ " order by pattern_id"
        ) -%}
        case
        {%- for row in patterns.rows %}
            when {{ zfxxgk.regexp_matches(column, zfxxgk.string_literal(row[1])) }} then {{ row[0] }}
        {%- endfor %}
        end
    {%- else -%}
        cast(null as integer)
    {%- endif -%}
{%- endmacro %}
