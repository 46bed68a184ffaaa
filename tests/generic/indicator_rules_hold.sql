{#-
    Fails on every broken consistency rule of one kind: the rows of its model int_rule_breaks_<kind>
    (models/intermediate/quality), each with its sentence. marts.fct_quality_issues lists the same rows (seed
    quality_rules: detected_by 'indicator_rules_hold (<kind>)'), so the rules run once per build.
    Like every data test of a per-report model, it reads only the reports this build rebuilt in the model's scope
    (get_where_subquery, int_reports_affected): a build that rebuilt 1% of the reports stores the breaks of those.
-#}
{% test indicator_rules_hold(model) %}
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
    from {{ model }}
{% endtest %}
