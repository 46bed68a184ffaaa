{#-
    One row per report: int_reports_described (who, when, where, which template) plus the report's quality
    summary from fct_quality_issues, so an analyst sees at once which reports to trust.
-#}
with reports as (
    select * from {{ ref('int_reports_described') }}
),

quality_issues as (
    select * from {{ ref('fct_quality_issues') }}
),

severity_ranks as (
    select * from {{ ref('quality_severities') }}
),

quality_summaries as (
    select
        quality_issues.report_id,
        count(*) as quality_issue_count,
        count(*) filter (where quality_issues.severity = 'error') as quality_error_count,
        count(*) filter (where quality_issues.severity = 'warn') as quality_warn_count,
        max_by(quality_issues.severity, severity_ranks.severity_rank) as worst_severity
    from quality_issues
    left join severity_ranks on quality_issues.severity = severity_ranks.severity
    group by quality_issues.report_id
),

final as (
    select
        reports.*,
        coalesce(quality_summaries.quality_issue_count, 0) as quality_issue_count,
        coalesce(quality_summaries.quality_error_count, 0) as quality_error_count,
        coalesce(quality_summaries.quality_warn_count, 0) as quality_warn_count,
        quality_summaries.worst_severity
    from reports
    left join quality_summaries on reports.report_id = quality_summaries.report_id
)

select * from final
