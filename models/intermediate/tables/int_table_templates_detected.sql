{#-
    The modern template of each report's tables: format_2019 or format_2021, from the column headings and row labels
    only one of them prints (seed table_template_cues). A legacy row label keeps its legacy template whatever this says.
-#}

with reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

template_cues as (
    select * from {{ ref('table_template_cues') }}
),

final as (
    select
        reports.report_id,
        case
            when count(case when template_cues.template = 'format_2021' then 1 end)
                > count(case when template_cues.template = 'format_2019' then 1 end)
                then 'format_2021'
            else 'format_2019'
        end as modern_template
    from reports
    left join template_cues on instr(reports.text, template_cues.cue) > 0
    group by reports.report_id
)

select * from final
