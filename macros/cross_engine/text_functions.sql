{#-
    Engine-specific SQL lives here, behind adapter.dispatch, so the models can run on DuckDB today
    and on Spark (dbt-spark) later. default__ is DuckDB; spark__ is written for Spark SQL.
-#}

{#- One row per line of a text column: the key, line_no (1-based) and the line without its LF. -#}
{% macro explode_lines(relation, key_column, text_column) -%}
    {{ return(adapter.dispatch('explode_lines', 'zfxxgk')(relation, key_column, text_column)) }}
{%- endmacro %}

{% macro default__explode_lines(relation, key_column, text_column) -%}
    select
        {{ key_column }},
        unnest(range(1, len(string_split({{ text_column }}, chr(10))) + 1)) as line_no,
        unnest(string_split({{ text_column }}, chr(10))) as line
    from {{ relation }}
{%- endmacro %}

{% macro spark__explode_lines(relation, key_column, text_column) -%}
    select
        {{ key_column }},
        exploded.position + 1 as line_no,
        exploded.line
    from {{ relation }}
    lateral view posexplode(split({{ text_column }}, '\n', -1)) exploded as position, line
{%- endmacro %}


{#- True when the column matches the regular expression (RE2 on DuckDB, Java on Spark) anywhere. -#}
{% macro regexp_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'zfxxgk')(column, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(column, pattern) -%}
    regexp_matches({{ column }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_matches(column, pattern) -%}
    ({{ column }} rlike {{ pattern }})
{%- endmacro %}


{#- A Python string as an SQL string literal (backslashes are literal on DuckDB, escapes on Spark). -#}
{% macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal', 'zfxxgk')(value)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}


{#- The column without leading and trailing spaces and tabs. -#}
{% macro trim_blanks(column) -%}
    {{ return(adapter.dispatch('trim_blanks', 'zfxxgk')(column)) }}
{%- endmacro %}

{% macro default__trim_blanks(column) -%}
    trim({{ column }}, ' ' || chr(9))
{%- endmacro %}

{% macro spark__trim_blanks(column) -%}
    trim(both ' \t' from {{ column }})
{%- endmacro %}
