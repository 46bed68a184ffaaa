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
    {%- set reports = ref('dim_reports') -%}
    {%- set report_comments = run_query(
        "select column_name, comment from duckdb_columns() where schema_name = '" ~ reports.schema
        ~ "' and table_name = '" ~ reports.identifier ~ "' and comment is not null order by column_index"
    ).rows -%}
    {%- for row in report_comments if row[0] not in documented %}
    comment on column {{ this }}.{{ row[0] }} is {{ zfxxgk.string_literal(row[1]) }};
    {%- endfor %}
    {%- for indicator in seed_rows('indicators', ['code', 'label_zh', 'unit']) if indicator[0] not in documented %}
    comment on column {{ this }}.{{ indicator[0] }} is {{ zfxxgk.string_literal(
        indicator[1] ~ ' (' ~ indicator[2] ~ ') at applicant_type total (indicator ' ~ indicator[0] ~ ', see dim_indicators).'
    ) }};
    {%- endfor %}
{%- endmacro %}
