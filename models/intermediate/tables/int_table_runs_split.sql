{#-
    The splits of the runs of digits of every report: int_table_runs_searched splits those of the reports this build
    rebuilds (a Python model, which dbt-duckdb can only materialize as a table), and this model keeps them.
-#}
{{ config(meta={'rebuild_scope': 'affected'}) }}

with searched_runs as (
    select * from {{ ref('int_table_runs_searched') }}
    where {{ in_reports_to_build('affected') }}
),

final as (
    select * from searched_runs
)

select * from final
