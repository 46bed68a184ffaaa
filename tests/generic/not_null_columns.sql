{#- Fails on every column of column_names that holds a null: one row per such column, with the number of rows.
    One test per model reads the model once for all its required columns (a test per column cost dbt a node each). -#}
{% test not_null_columns(model, column_names) %}
    with null_counts as (
        select
        {%- for column_name in column_names %}
            sum(case when {{ column_name }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    ),

    nulls_per_column as (
    {%- for column_name in column_names %}
        select
            '{{ column_name }}' as column_name,
            nulls_{{ loop.index }} as null_row_count
        from null_counts
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
    ),

    final as (
        select * from nulls_per_column
        where null_row_count > 0
    )

    select * from final
{% endtest %}
