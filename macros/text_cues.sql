{#-
    Text cues (seed text_cues) inlined as constants: each macro reads the cues of one kind with
    seed_rows (macros/seed_rows.sql) when the model compiles.
-#}

{#-
    The first non-empty capture (group 1) of the text cues of one kind (seed text_cues, in cue_id
    order) in the column, else null.
-#}
{% macro first_cue_capture(column, cue_kind) -%}
    {%- set cues = seed_rows('text_cues', ['cue_id', 'pattern'], "cue_kind = '" ~ cue_kind ~ "'") -%}
    {%- if cues | length == 0 -%}
        cast(null as string)
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
