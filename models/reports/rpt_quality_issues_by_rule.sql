{#-
    Quality issues per rule and severity (`zfxxgk overview`): fct_quality_issues counted, with the severity's rank
    (seed quality_severities) and the rule's issues over all severities (the chart lists the rules by it).
-#}
with issues as (
    select * from {{ ref('fct_quality_issues') }}
),

severities as (
    select * from {{ ref('quality_severities') }}
),

rule_severity_counts as (
    select
        rule,
        severity,
        count(*) as issue_count,
        count(distinct report_id) as report_count
    from issues
    group by rule, severity
),

final as (
    select
        rule_severity_counts.rule,
        rule_severity_counts.severity,
        severities.severity_rank,
        rule_severity_counts.issue_count,
        rule_severity_counts.report_count,
        cast(sum(rule_severity_counts.issue_count) over (partition by rule_severity_counts.rule) as bigint)
            as rule_issue_count
    from rule_severity_counts
    left join severities on rule_severity_counts.severity = severities.severity
)

select * from final
