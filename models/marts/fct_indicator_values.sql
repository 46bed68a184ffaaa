{{ config(materialized='incremental', meta={'rebuild_scope': 'affected'}) }}
{#-
    The indicator panel: one resolved row per report, indicator code and applicant type. Candidates come from
    every extractor with a source priority: a table value 1, a prose value 2, a table cell left blank (or marked
    /, -, 无) 3. The lowest priority number wins, so a table value beats a prose value for the same key, and a
    figure the prose states fills a cell the table left blank. A NULL value is a blank cell: cell_meaning says
    which kind. Disagreements between table and prose are in int_prose_conflicts_detected. template is a deprecated
    alias of template_version (the table's generation), removed in the next release.
    Provenance to the page: a PDF's value carries the page its start_offset lies on (int_report_pages_located), a
    table value the heading of the report section its table is printed under (fct_report_sections), a value of an
    HTML page the page's URL when the file holds it; a PDF's evidence is shown without the spaces its text layer
    puts between Han characters (the offsets still index stg_reports.text).
-#}
{%- set value_columns = [
    'report_id', 'indicator_code', 'applicant_type', 'value', 'unit', 'is_approximate', 'source_kind',
    'cell_meaning', 'note', 'table_kind', 'template_version', 'row_label', 'column_label', 'raw_cell_text',
    'extraction_method', 'line_no', 'start_offset', 'end_offset', 'evidence'
] %}
{#- the deprecated alias (the name before this release, removed in the next) written beside each renamed column -#}
{%- set deprecated_aliases = {'template_version': 'template'} %}

with table_values as (
    select *, template as template_version from {{ ref('int_table_values_resolved') }}
    where {{ in_reports_to_build('affected') }}
),

reports as (
    select report_id, reader, source_url from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('affected') }}
),

pages as (
    select report_id, page_no, start_offset, end_offset from {{ ref('int_report_pages_located') }}
    where {{ in_reports_to_build('affected') }}
),

sections as (
    select report_id, heading, start_offset, end_offset from {{ ref('fct_report_sections') }}
    where {{ in_reports_to_build('affected') }}
        and heading is not null
),

prose_values as (
    select
        report_id,
        indicator_code,
        applicant_type,
        value,
        unit,
        is_approximate,
        source_kind,
        cell_meaning,
        cast(null as string) as note,
        cast(null as string) as table_kind,
        cast(null as string) as template_version,
        cast(null as string) as row_label,
        cast(null as string) as column_label,
        raw_text as raw_cell_text,
        extraction_method,
        line_no,
        start_offset,
        end_offset,
        evidence
    from {{ ref('int_prose_values_resolved') }}
    where {{ in_reports_to_build('affected') }}
),

candidate_values as (
    select
        {% for column in value_columns %}{{ column }},
        {% endfor -%}
        case when value is null then 3 else 1 end as source_priority
    from table_values

    union all

    select
        {% for column in value_columns %}{{ column }},
        {% endfor -%}
        2 as source_priority
    from prose_values
),

-- The best source of each key (a plain join: a window over the wide rows costs far more).
best_sources as (
    select report_id, indicator_code, applicant_type, min(source_priority) as source_priority
    from candidate_values
    group by report_id, indicator_code, applicant_type
),

resolved_values as (
    select candidate_values.*
    from candidate_values
    inner join best_sources
        on candidate_values.report_id = best_sources.report_id
        and candidate_values.indicator_code = best_sources.indicator_code
        and candidate_values.applicant_type = best_sources.applicant_type
        and candidate_values.source_priority = best_sources.source_priority
),

final as (
    select
        {% for column in value_columns if column != 'evidence' %}resolved_values.{{ column }},
        {%- if column in deprecated_aliases %} resolved_values.{{ column }} as {{ deprecated_aliases[column] }},{% endif %}
        {% endfor -%}
        case
            when reports.reader = 'pdf' then {{ without_spaces_between_han('resolved_values.evidence') }}
            else resolved_values.evidence
        end as evidence,
        case when resolved_values.source_kind = 'table' then sections.heading end as table_label,
        pages.page_no,
        reports.source_url
    from resolved_values
    inner join reports on resolved_values.report_id = reports.report_id
    left join pages
        on resolved_values.report_id = pages.report_id
        and resolved_values.start_offset >= pages.start_offset
        and (resolved_values.start_offset < pages.end_offset or pages.end_offset is null)
    left join sections
        on resolved_values.report_id = sections.report_id
        and resolved_values.start_offset >= sections.start_offset
        and resolved_values.start_offset < sections.end_offset
)

select * from final
