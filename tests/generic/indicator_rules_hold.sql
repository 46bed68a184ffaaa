{#-
    Fails on every broken consistency rule of one kind (le, sum, applicant_columns, balance, bounds,
    carried_over) among the values of marts.fct_indicator_values. marts.fct_quality_issues has already computed
    them (macros/quality_rules.sql) with a sentence each: the test reads back the rows of the rules the kind
    detects (seed quality_rules: detected_by 'indicator_rules_hold (<kind>)'), so the rules run once per build.
    Like every data test of a per-report model, it reads only the reports this build rebuilt in the model's scope
    (int_reports_affected): a build that rebuilt 1% of the reports stores the breaks of those.
-#}
{% test indicator_rules_hold(model, rule_kind) %}
    {%- if rule_kind not in zfxxgk.indicator_rule_kinds() -%}
        {{ exceptions.raise_compiler_error("indicator_rules_hold: rule_kind must be one of "
            ~ zfxxgk.indicator_rule_kinds() | join(', ') ~ ", not " ~ rule_kind) }}
    {%- endif %}
    select
        report_id,
        rule,
        indicator_codes,
        applicant_type,
        expected_value,
        actual_value,
        issue_sentence,
        evidence,
        line_no,
        start_offset
    from {{ ref('fct_quality_issues') }}
    where detected_by = {{ zfxxgk.string_literal('indicator_rules_hold (' ~ rule_kind ~ ')') }}
        and report_id in (select report_id from {{ ref('int_reports_affected') }})
{% endtest %}
