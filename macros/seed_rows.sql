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
        database=target.database if target.database is defined else none,
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
