{#- Fails on every row: for tables that should have none, such as rejections (use severity warn). -#}
{% test is_empty(model) %}
    select * from {{ model }}
{% endtest %}
