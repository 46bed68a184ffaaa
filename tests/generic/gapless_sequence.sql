{#- Within each group the column runs 1, 2, ..., n without gaps or repeats. Fails per broken group. -#}
{% test gapless_sequence(model, column_name, group_by) %}
    select
        {{ group_by }},
        min({{ column_name }}) as first_value,
        max({{ column_name }}) as last_value,
        count(distinct {{ column_name }}) as distinct_values,
        count(*) as row_count
    from {{ model }}
    group by {{ group_by }}
    having min({{ column_name }}) <> 1
        or max({{ column_name }}) <> count(*)
        or count(distinct {{ column_name }}) <> count(*)
{% endtest %}
