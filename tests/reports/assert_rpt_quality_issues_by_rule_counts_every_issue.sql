-- rpt_quality_issues_by_rule counts every row of fct_quality_issues once, per rule and severity.
with counted as (
    select rule, severity, issue_count, report_count from {{ ref('rpt_quality_issues_by_rule') }}
),

issues as (
    select rule, severity, count(*) as issue_count, count(distinct report_id) as report_count
    from {{ ref('fct_quality_issues') }}
    group by rule, severity
)

select
    coalesce(counted.rule, issues.rule) as rule,
    coalesce(counted.severity, issues.severity) as severity,
    counted.issue_count as counted,
    issues.issue_count as in_fct_quality_issues
from counted
full outer join issues on counted.rule = issues.rule and counted.severity = issues.severity
where counted.issue_count is distinct from issues.issue_count
    or counted.report_count is distinct from issues.report_count
