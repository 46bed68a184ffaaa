{#- The rules on a model's columns, in one test per model (a dbt node costs about 40 ms whatever its query, so a test
    per column and rule cost a build more than the queries did). Fails with one row per broken rule: the column (or
    columns), the rule, and how many rows (or repeated values) break it. The rules, each an optional argument:
      not_null: [column, ...]                       the column is never null
      unique: [column, ...]                         no value occurs twice (nulls aside), as dbt's unique
      unique_combinations: [[column, ...], ...]     no combination of the columns occurs twice (nulls compare equal)
      accepted_values: {column: [value, ...]}       every value that is not null is one of these, as dbt's
                                                    accepted_values
      relationships: [{column: c, to: ref(...), field: f}, ...]
                                                    every value that is not null is a value of `field` in `to`, as
                                                    dbt's relationships
      expressions: {name: expression, ...}          the boolean expression is true on every row (null is not true);
                                                    named after its column, or after what it says -#}
{% test column_rules_hold(
    model,
    not_null=[],
    unique=[],
    unique_combinations=[],
    accepted_values={},
    relationships=[],
    expressions={}
) %}
    {%- set checks = [] %}
    {%- for column_name in not_null %}
        {%- do checks.append((column_name, "not_null", column_name ~ " is null")) %}
    {%- endfor %}
    {%- for column_name, values in accepted_values.items() %}
        {%- set literals = [] %}
        {%- for value in values %}{% do literals.append(string_literal(value)) %}{% endfor %}
        {%- do checks.append((
            column_name,
            "accepted_values",
            column_name ~ " is not null and " ~ column_name ~ " not in (" ~ literals | join(", ") ~ ")"
        )) %}
    {%- endfor %}
    {%- for name, expression in expressions.items() %}
        {%- do checks.append((name, "expression " ~ expression, "not coalesce(" ~ expression ~ ", false)")) %}
    {%- endfor %}

    with
    {%- if checks %}
    row_counts as (
        select
        {%- for check in checks %}
            sum(case when {{ check[2] }} then 1 else 0 end) as breaking_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    ),
    {%- endif %}

    breaks as (
        {%- set parts = [] %}
        {%- for check in checks %}
            {%- do parts.append(
                "select " ~ string_literal(check[0]) ~ " as column_name, " ~ string_literal(check[1])
                ~ " as rule, breaking_" ~ loop.index ~ " as breaking_row_count from row_counts"
            ) %}
        {%- endfor %}
        {%- for column_name in unique %}
            {%- do parts.append(
                "select " ~ string_literal(column_name) ~ " as column_name, 'unique' as rule, count(*) as breaking_row_count"
                ~ " from (select " ~ column_name ~ " from " ~ model ~ " where " ~ column_name ~ " is not null"
                ~ " group by " ~ column_name ~ " having count(*) > 1) as repeated_values"
            ) %}
        {%- endfor %}
        {%- for columns in unique_combinations %}
            {%- do parts.append(
                "select " ~ string_literal(columns | join(", ")) ~ " as column_name, 'unique_combination' as rule,"
                ~ " count(*) as breaking_row_count"
                ~ " from (select " ~ columns | join(", ") ~ " from " ~ model
                ~ " group by " ~ columns | join(", ") ~ " having count(*) > 1) as repeated_combinations"
            ) %}
        {%- endfor %}
        {%- for relationship in relationships %}
            {%- do parts.append(
                "select " ~ string_literal(relationship.column) ~ " as column_name, "
                ~ string_literal("relationships to " ~ relationship.to.identifier ~ "." ~ relationship.field) ~ " as rule,"
                ~ " count(*) as breaking_row_count"
                ~ " from " ~ model ~ " as child where child." ~ relationship.column ~ " is not null"
                ~ " and not exists (select 1 from " ~ relationship.to ~ " as parent"
                ~ " where parent." ~ relationship.field ~ " = child." ~ relationship.column ~ ")"
            ) %}
        {%- endfor %}
        {{ parts | join("\n        union all\n        ") }}
    ),

    final as (
        select * from breaks
        where breaking_row_count > 0
    )

    select * from final
{% endtest %}
