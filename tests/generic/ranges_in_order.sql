{#-
    Within each group, ordered by order_by, every range starts where or after the previous one
    ended, and no range ends before it starts; with strict_starts, each range also starts after the
    previous one started (line ranges of a one-line report share their line, so they are not strict).
    Fails per range that breaks a rule.
-#}
{% test ranges_in_order(model, group_by, order_by, start_column, end_column, strict_starts=true) %}
    with ordered as (
        select
            {{ group_by }},
            {{ order_by }},
            {{ start_column }} as range_start,
            {{ end_column }} as range_end,
            lag({{ end_column }}) over (partition by {{ group_by }} order by {{ order_by }}) as previous_end,
            lag({{ start_column }}) over (partition by {{ group_by }} order by {{ order_by }}) as previous_start
        from {{ model }}
    )

    select *
    from ordered
    where range_end < range_start
        or range_start < previous_end
        or range_start {{ '<=' if strict_starts else '<' }} previous_start
{% endtest %}
