{#-
    Totals the prose of a report states for a table cell (全年共收到政府信息公开申请55件, 制发行政规范性文件12件),
    read with the patterns of the table_split_hints seed, only for reports with a run of digits to split: the
    splitter keeps the splits that agree with them. A code stated with two different numbers is no hint.
-#}
with reports_with_runs as (
    select distinct report_id from {{ ref('int_table_rows_matched') }}
    where {{ in_reports_to_build('changed') }}
        and row_status = 'run'
),

reports as (
    select reports.report_id, reports.text
    from {{ ref('stg_reports') }} as reports
    inner join reports_with_runs on reports.report_id = reports_with_runs.report_id
),

hints as (
    select * from {{ ref('table_split_hints') }}
),

report_hints as (
    select reports.report_id, reports.text, hints.indicator_code, hints.applicant_type, hints.pattern
    from reports
    cross join hints
),

stated as (
    {{ explode_regexp_matches(
        'report_hints', ['report_id', 'indicator_code', 'applicant_type', 'pattern'], 'text', 'pattern', with_offsets=false) }}
),

stated_values as (
    select
        report_id,
        indicator_code,
        applicant_type,
        try_cast(regexp_extract(match_text, pattern, 1) as bigint) as value,
        match_text as evidence
    from stated
),

final as (
    select
        report_id,
        indicator_code,
        applicant_type,
        min(value) as value,
        min(evidence) as evidence
    from stated_values
    where value is not null
    group by report_id, indicator_code, applicant_type
    having count(distinct value) = 1
)

select * from final
