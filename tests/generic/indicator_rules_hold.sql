{#-
    Fails on every broken consistency rule of one kind (le, sum, applicant_columns, balance, bounds,
    carried_over) among the values of a relation shaped like marts.fct_indicator_values. The rules come from the
    seeds (see macros/quality_rules.sql); marts.fct_quality_issues lists the same breaks with a sentence each.
-#}
{% test indicator_rules_hold(model, rule_kind) %}
    {{ zfxxgk.indicator_rule_breaks(model, rule_kind) }}
{% endtest %}
