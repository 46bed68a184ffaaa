{#-
    The keyword that makes a CTE read by several parts of a query be computed once (`name as {{ materialized() }} (`):
    DuckDB otherwise may inline it into each consumer and evaluate its filters again for each. Spark SQL has no such
    keyword (it caches nothing within a query): there it is empty.
-#}
{% macro materialized() -%}
    {{ return(adapter.dispatch('materialized', 'zfxxgk')()) }}
{%- endmacro %}

{% macro default__materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized() -%}
{%- endmacro %}
