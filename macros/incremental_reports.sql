{#-
    Incremental builds, one report at a time.

    Every per-report model is an incremental table (dbt_project.yml: materialized incremental, strategy append).
    A build rebuilds only the reports whose landed rows changed since the last successful build:
    - int_reports_changed: reports new, revised (text, canonical path, paths or reader changed) or removed since
      int_reports_built was last written; every report on a full refresh or a first build;
    - int_reports_affected: those plus the same issuer's years they can reach, for the models that read across a
      report's years (the digit-run splitter settles runs by the issuer's neighbouring years, the carried-over rule).

    A per-report model reads its per-report inputs through `where {{ in_reports_to_build('changed') }}` and its
    pre-hook (delete_reports_to_rebuild, set for every model in dbt_project.yml) first deletes the rows of the same
    reports, so a report that was removed, or that now yields no row, leaves no row behind. The scope a model
    rebuilds is its meta `rebuild_scope` (default changed): the filter and the pre-hook both follow it.
-#}

{#- The SQL text of the model's rebuild scope ('changed' or 'affected'): its meta rebuild_scope. -#}
{% macro rebuild_scope() -%}
    {%- set meta = config.get('meta') or {} -%}
    {{- meta.get('rebuild_scope', 'changed') -}}
{%- endmacro %}

{#-
    A condition on report_id: true for the reports this build rebuilds in `scope` (the model's rebuild_scope;
    passing it makes the lineage explicit, and a mismatch with the model's meta is an error).
-#}
{% macro in_reports_to_build(scope='changed', column='report_id') -%}
    {%- set models = {'changed': 'int_reports_changed', 'affected': 'int_reports_affected'} -%}
    {%- if scope not in models -%}
        {{ exceptions.raise_compiler_error("in_reports_to_build: scope must be changed or affected, not " ~ scope) }}
    {%- endif -%}
    {%- if execute and model.resource_type != 'unit_test' and scope != rebuild_scope() -%}
        {{ exceptions.raise_compiler_error(
            "in_reports_to_build('" ~ scope ~ "') in a model whose meta rebuild_scope is '" ~ rebuild_scope()
            ~ "': set config(meta={'rebuild_scope': '" ~ scope ~ "'}) or read the model's own scope") }}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        true {#- a unit test's given rows are all to build -#}
    {%- else -%}
        {{ column }} in (select report_id from {{ ref(models[scope]) }})
    {%- endif -%}
{%- endmacro %}

{#-
    Pre-hook of every incremental per-report model: delete the rows of the reports this build rebuilds (new ones
    have none; removed ones have their last). Nothing on a first build or a full refresh (the table is created).
-#}
{% macro delete_reports_to_rebuild() -%}
    {%- set models = {'changed': 'int_reports_changed', 'affected': 'int_reports_affected'} -%}
    {%- if execute and config.get('materialized') == 'incremental' and is_incremental() -%}
        {{ delete_rows_of_reports(this, ref(models[rebuild_scope()])) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The statement that deletes the rows of the reports `reports_relation` lists from `relation`. On DuckDB a DELETE;
    Spark's Parquet tables have none, so there the rows to keep are copied aside and written back over the table
    (spark__delete_rows_of_reports).
-#}
{% macro delete_rows_of_reports(relation, reports_relation) -%}
    {{ return(adapter.dispatch('delete_rows_of_reports', 'zfxxgk')(relation, reports_relation)) }}
{%- endmacro %}

{% macro default__delete_rows_of_reports(relation, reports_relation) -%}
    delete from {{ relation }} where report_id in (select report_id from {{ reports_relation }})
{%- endmacro %}

{#-
    Parquet tables on Spark have no DELETE: the rows of the other reports are copied to `<table>__kept`, written back
    over the table (insert overwrite cannot read the table it overwrites), and the copy dropped; the model then
    appends the rows of the reports it rebuilds. The table is rewritten, the reports are not recomputed. A copy left
    by a build that stopped between these statements is the only whole record of the table: the build stops and
    asks for a full refresh rather than go on from a table that may have lost rows. Each statement runs here (Spark
    takes one at a time); the hook itself is empty.
-#}
{% macro spark__delete_rows_of_reports(relation, reports_relation) -%}
    {%- set kept = relation.incorporate(path={'identifier': relation.identifier ~ '__kept'}) -%}
    {%- if adapter.get_relation(database=kept.database, schema=kept.schema, identifier=kept.identifier) is not none -%}
        {{ exceptions.raise_compiler_error(
            kept ~ " exists: an earlier Spark build stopped while it rewrote " ~ relation ~ ", which may have lost"
            ~ " rows. Build with --full-refresh.") }}
    {%- endif -%}
    {%- if run_query('select 1 from ' ~ reports_relation ~ ' limit 1').rows | length == 0 -%}
        {{ return('') }} {#- no report to rebuild: the table stays as it is -#}
    {%- endif -%}
    {%- do run_query('create table ' ~ kept ~ ' using parquet as select kept_rows.* from ' ~ relation ~ ' as kept_rows'
        ~ ' where not exists (select 1 from ' ~ reports_relation ~ ' as rebuilt'
        ~ ' where rebuilt.report_id = kept_rows.report_id)') -%}
    {%- do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ kept) -%}
    {%- do run_query('drop table ' ~ kept) -%}
{%- endmacro %}

{#-
    A report's revision: what the per-report models read of it. A report whose revision differs from the one
    int_reports_built recorded is rebuilt. Text (report_id is the hash of the normalized text), canonical path
    (metadata reads the file name), the number of paths, and the reader and loader that produced the rows.
    zfxxgk/build_state.py computes the same expression to tell, before dbt starts, whether a build has work.
-#}
{% macro report_revision(relation_alias) -%}
    md5(concat_ws('|', {{ relation_alias }}.report_id, {{ relation_alias }}.source_path,
        cast({{ relation_alias }}.source_path_count as string), {{ relation_alias }}.reader,
        {{ relation_alias }}.reader_version, {{ relation_alias }}.loader_version))
{%- endmacro %}

{#-
    The rows a generic data test reads (dbt calls this for the `model` of every generic test): for a per-report
    incremental model, only the rows of the reports this build rebuilt in the model's scope, so a build that
    rebuilt 1% of the reports tests 1% of the rows (the rest passed when they were built, and are unchanged).
    A full rebuild rebuilds, and so tests, every report. Other relations, and a test with its own `where`, as
    dbt does it. No alias: the generic tests alias their model themselves (`from {{ model }} as lines`).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set scopes = {'changed': 'int_reports_changed', 'affected': 'int_reports_affected'} -%}
    {%- if execute and relation.identifier is defined -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.alias == relation.identifier
                and node.schema == relation.schema and node.config.materialized == 'incremental'
                and node.name != 'int_reports_built' -%}
                {%- set scope = (node.config.meta or {}).get('rebuild_scope', 'changed') -%}
                {%- set scope_node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                    | selectattr('name', 'equalto', scopes[scope]) | first -%}
                {%- set scope_relation = adapter.get_relation(
                    database=relation.database, schema=scope_node.schema, identifier=scope_node.alias) -%}
                {%- if scope_relation is not none -%}
                    {%- do return('(select * from ' ~ relation ~ ' where report_id in (select report_id from '
                        ~ scope_relation ~ '))') -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
