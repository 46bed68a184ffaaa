{#-
    on-run-start: the raw tables the sources read. On DuckDB `zfxxgk ingest` lands them in the warehouse itself:
    nothing to do. On Spark they are the Parquet lake `zfxxgk ingest ... --lake DIR` writes (docs/ingest.md#the-raw-
    layer-as-a-parquet-lake): DIR/<table>/batch=<N>/part-<i>.parquet, where a new ingest adds a batch. Each source
    table of `raw` becomes a view named as the source (raw.reports, ...) holding the table's current rows by the
    lake's reading rule (ingest/sql/lake_current.sql, the same SQL): a key's rows are those of the latest batch that
    wrote it, unless that batch wrote its tombstone. The key of each table is the source's meta.lake_key
    (ingest.lake.LAKE_KEYS), its columns those of the files less the lake's own (lake_batch_id, is_tombstone, and
    the batch folder). The lake is the var `lake`, else the environment variable ZFXXGK_LAKE: an absolute path or a
    URI Spark reads (file:, hdfs:, s3a:). Recreated on every run, so a lake that moved or grew new batches is read
    whole.
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
            {%- set files = 'parquet.`' ~ lake.rstrip('/') ~ '/' ~ source.identifier ~ '`' -%}
            {%- set key = source.meta.lake_key -%}
            {%- set lake_columns = run_query('select * from ' ~ files ~ ' limit 0').column_names -%}
            {%- set columns = [] -%}
            {%- for column in lake_columns if column not in ('lake_batch_id', 'is_tombstone', 'batch') -%}
                {%- do columns.append('lake_rows.' ~ column) -%}
            {%- endfor -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query('drop view if exists ' ~ relation) -%}
            {%- do run_query(
                'create view ' ~ relation ~ ' as select ' ~ columns | join(', ')
                ~ ' from ' ~ files ~ ' as lake_rows inner join ('
                ~ 'select ' ~ key ~ ' as lake_key, max(lake_batch_id) as latest_lake_batch_id'
                ~ ' from ' ~ files ~ ' group by ' ~ key
                ~ ') as latest_batches on lake_rows.' ~ key ~ ' = latest_batches.lake_key'
                ~ ' and lake_rows.lake_batch_id = latest_batches.latest_lake_batch_id'
                ~ ' where not lake_rows.is_tombstone') -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
