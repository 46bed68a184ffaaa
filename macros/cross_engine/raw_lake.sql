{#-
    on-run-start: the raw tables the sources read. On DuckDB `zfxxgk ingest` lands them in the warehouse itself:
    nothing to do. On Spark they are the Parquet files of the raw lake (`zfxxgk ingest ... --lake DIR`), one folder per
    table (<lake>/<table>/*.parquet; a new ingest adds files): each source table of `raw` becomes an external table
    over its folder, named as the source (raw.reports, ...), so the staging models read it as they read DuckDB's.
    The lake is the var `lake`, else the environment variable ZFXXGK_LAKE: an absolute path or a URI Spark reads
    (file:, hdfs:, s3a:). Recreated on every run (dropping an external table leaves its files), so a lake that moved
    or grew new files is read whole.
-#}
{% macro register_raw_lake() -%}
    {{ return(adapter.dispatch('register_raw_lake', 'zfxxgk')()) }}
{%- endmacro %}

{% macro default__register_raw_lake() -%}
{%- endmacro %}

{% macro spark__register_raw_lake() -%}
    {%- if execute -%}
        {%- set lake = var('lake', env_var('ZFXXGK_LAKE', '')) | trim -%}
        {%- if not lake -%}
            {{ exceptions.raise_compiler_error(
                "the spark target reads the raw lake: set ZFXXGK_LAKE (or --vars '{lake: DIR}') to its folder") }}
        {%- endif -%}
        {%- for source in graph.sources.values() if source.source_name == 'raw' -%}
            {%- set relation = source.schema ~ '.' ~ source.identifier -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query('create table ' ~ relation ~ ' using parquet location '
                ~ zfxxgk.string_literal(lake.rstrip('/') ~ '/' ~ source.identifier)) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
