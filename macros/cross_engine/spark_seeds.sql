{#-
    Seeds on Spark, with their values written into the insert as SQL literals. dbt-spark 1.11's session connection
    binds a seed's values by wrapping each in quotes unescaped, and a missing value as the text 'None': a dictionary
    value holding a quote or a backslash (regular expressions) breaks the insert, and a blank cell becomes 'None'
    instead of NULL. Overrides dbt-spark's spark__load_csv_rows (the root project's macro comes first for `dbt`'s
    dispatch); DuckDB's seeds are untouched.
-#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set column_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do column_types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ seed_value_literal(value) }} as {{ column_types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- A value of a seed's cell (as agate read it) as a Spark SQL literal: NULL for a blank cell. -#}
{% macro seed_value_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {{ zfxxgk.string_literal(value | string) }}
    {%- endif -%}
{%- endmacro %}
