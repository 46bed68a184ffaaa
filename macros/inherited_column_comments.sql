{#-
    Post-hook of mart_report_indicators: comments on the columns its YAML does not list (persist_docs only
    writes documented ones), so BI tools and `zfxxgk export` find a description for every column. The columns
    taken from dim_reports get dim_reports' comments; each indicator code column gets its seed label and unit.
-#}
{% macro comment_report_indicator_columns() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set documented = model.columns.keys() | list -%}
    {%- set comments = [] -%}
    {%- for row in zfxxgk.column_comments(ref('dim_reports')) if row[0] not in documented -%}
        {%- do comments.append((row[0], row[1])) -%}
    {%- endfor -%}
    {%- for indicator in seed_rows('indicators', ['code', 'label_zh', 'unit']) if indicator[0] not in documented -%}
        {%- do comments.append((indicator[0],
            indicator[1] ~ ' (' ~ indicator[2] ~ ') at applicant_type total (indicator ' ~ indicator[0] ~ ', see dim_indicators).')) -%}
    {%- endfor -%}
    {{ zfxxgk.comment_on_columns(this, comments) }}
{%- endmacro %}

{#- The (column name, comment) of each column of a relation that has a comment, in the order of the columns. -#}
{% macro column_comments(relation) -%}
    {{ return(adapter.dispatch('column_comments', 'zfxxgk')(relation)) }}
{%- endmacro %}

{% macro default__column_comments(relation) -%}
    {{ return(run_query(
        "select column_name, comment from duckdb_columns() where schema_name = '" ~ relation.schema
        ~ "' and table_name = '" ~ relation.identifier ~ "' and comment is not null order by column_index"
    ).rows) }}
{%- endmacro %}

{% macro spark__column_comments(relation) -%}
    {#- describe table: the columns (col_name, data_type, comment), then a blank or '#' row before other details -#}
    {%- set comments = [] -%}
    {%- set ns = namespace(in_columns=true) -%}
    {%- for row in run_query('describe table ' ~ relation).rows -%}
        {%- if not row[0] or row[0].startswith('#') -%}
            {%- set ns.in_columns = false -%}
        {%- elif ns.in_columns and row[2] -%}
            {%- do comments.append((row[0], row[2])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(comments) }}
{%- endmacro %}

{#- Statements that set the comments [(column name, comment), ...] on the columns of a relation. -#}
{% macro comment_on_columns(relation, comments) -%}
    {{ return(adapter.dispatch('comment_on_columns', 'zfxxgk')(relation, comments)) }}
{%- endmacro %}

{% macro default__comment_on_columns(relation, comments) -%}
    {%- for column, comment in comments %}
    comment on column {{ relation }}.{{ column }} is {{ zfxxgk.string_literal(comment) }};
    {%- endfor %}
{%- endmacro %}

{#-
    Spark runs one statement at a time, so each comment is set here and the hook itself is empty. The Hive
    metastore keeps at most 256 characters of a column's comment. A comment is one string literal, which on Spark
    cannot hold both kinds of quote: in a comment that has both, an apostrophe is written ’.
-#}
{% macro spark__comment_on_columns(relation, comments) -%}
    {%- for column, comment in comments -%}
        {%- set text = comment.replace("'", "’") if ("'" in comment and '"' in comment) else comment -%}
        {%- do run_query('alter table ' ~ relation ~ ' change column ' ~ column ~ ' comment '
            ~ zfxxgk.string_literal(text[:256])) -%}
    {%- endfor -%}
{%- endmacro %}

{#-
    persist_docs on Spark: dbt-spark writes column comments only on Delta, Hudi and Iceberg tables; this writes them on
    the project's Parquet tables too (the root project's spark__alter_column_comment comes before dbt-spark's). Each
    comment is a metastore call (about half a second on a local Spark), so only the schemas of the var
    spark_column_comment_schemas get them (the marts and reports analysts and BI tools read), and a comment already
    there is not written again (an incremental build's tables keep theirs).
-#}
{% macro spark__alter_column_comment(relation, column_dict) -%}
    {%- if relation.schema not in var('spark_column_comment_schemas') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for name, comment in zfxxgk.column_comments(relation) -%}
        {%- do present.update({name: comment}) -%}
    {%- endfor -%}
    {%- set comments = [] -%}
    {%- for column_name, column in column_dict.items() if column['description'] -%}
        {%- set description = column['description'].strip() -%}
        {%- if present.get(column_name) not in (description[:256], description.replace("'", "’")[:256]) -%}
            {%- do comments.append((adapter.quote(column_name) if column['quote'] else column_name, description)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do zfxxgk.comment_on_columns(relation, comments) -%}
{%- endmacro %}
