{#-
    The type of every indicator value: exact decimals wide enough for every digit a report prints (13579.246802 万元
    keeps its six decimals; 元 converted to 万元 keeps four more), never a binary float.
-#}
{% macro indicator_value_type() -%}
    decimal(38, 10)
{%- endmacro %}


{#-
    A count as a whole number (3649, not 3649.0000000000) for the marts analysts read; null when the value has a
    fraction (a count never has one: the exact value stays in fct_indicator_values).
-#}
{% macro whole_number(value) -%}
    case when {{ value }} = floor({{ value }}) then cast({{ value }} as bigint) end
{%- endmacro %}


{#- The indicator codes whose unit counts things (seed units.is_count), read when the model compiles. -#}
{% macro count_indicator_codes() -%}
    {%- set count_units = seed_rows('units', ['unit'], 'is_count') | map(attribute=0) | list -%}
    {%- set indicators = seed_rows('indicators', ['code', 'unit']) -%}
    {{ return(indicators | selectattr(1, 'in', count_units) | map(attribute=0) | list) }}
{%- endmacro %}


{#- The harmonized measures that count things (seed harmonized_measures): every code that makes one is a count. -#}
{% macro count_measures() -%}
    {%- set count_codes = count_indicator_codes() -%}
    {%- set measure_codes = seed_rows('harmonized_measures', ['measure', 'indicator_code']) -%}
    {%- set measures = measure_codes | map(attribute=0) | unique | list -%}
    {%- set counts = [] -%}
    {%- for measure in measures -%}
        {%- if measure_codes | selectattr(0, 'equalto', measure) | rejectattr(1, 'in', count_codes) | list | length == 0 -%}
            {%- do counts.append(measure) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(counts) }}
{%- endmacro %}


{#-
    The cumulative codes (seed indicators, formats legacy_cumulative: the 累计 column of a local legacy table), read
    when the model compiles: a mart that counts or sums a year's figures leaves them out.
-#}
{% macro cumulative_indicator_codes() -%}
    {%- set indicators = seed_rows('indicators', ['code', 'formats']) -%}
    {{ return(indicators | selectattr(1, 'equalto', 'legacy_cumulative') | map(attribute=0) | list) }}
{%- endmacro %}
