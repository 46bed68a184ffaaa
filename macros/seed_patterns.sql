{#-
    Rows of a dictionary seed, read when the model compiles, so that its patterns are inlined as
    constants (each regular expression compiles once). The model must declare
    `-- depends_on: {{ ref('<seed>') }}`. Returns [] at parse time. Unit tests read the real seed
    too: their given rows for it only replace the model's own ref() of it.
-#}
{% macro seed_rows(seed_name, columns, where=none, order_by=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {#- the seed's table itself, also in unit tests (where ref() would name the test's fixture) -#}
    {%- set seed_relation = api.Relation.create(
        database=target.database,
        schema=generate_schema_name(var('seed_schema', 'raw'), none) | trim,
        identifier=seed_name
    ) -%}
    {%- set sql -%}
        select {{ columns | join(', ') }} from {{ seed_relation }}
        {% if where %} where {{ where }} {% endif %}
        order by {{ order_by or columns[0] }}
    {%- endset -%}
    {{ return(run_query(sql).rows) }}
{%- endmacro %}


{#-
    The first non-empty capture (group 1) of the text cues of one kind (seed text_cues, in cue_id
    order) in the column, else null.
-#}
{% macro first_cue_capture(column, cue_kind) -%}
    {%- set cues = seed_rows('text_cues', ['cue_id', 'pattern'], "cue_kind = '" ~ cue_kind ~ "'") -%}
    {%- if cues | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
        coalesce(
        {%- for cue in cues %}
            nullif({{ zfxxgk.regexp_extract(column, zfxxgk.string_literal(cue[1]), 1) }}, ''){{ ',' if not loop.last }}
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}


{#- True when the column matches any text cue of the kind. -#}
{% macro matches_any_cue(column, cue_kind) -%}
    {%- set cues = seed_rows('text_cues', ['cue_id', 'pattern'], "cue_kind = '" ~ cue_kind ~ "'") -%}
    {%- if cues | length == 0 -%}
        false
    {%- else -%}
        (
        {%- for cue in cues %}
            {{ zfxxgk.regexp_matches(column, zfxxgk.string_literal(cue[1])) }}{{ ' or' if not loop.last }}
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
