{#-
    The value columns of each report's local legacy table (2008-2013): the heading row printed last before the
    table's first row (指标名称 | 单位 | 本年度 | 累计, 本年 | 上年 | 增减, 2011年 | 2010年: seed table_value_columns),
    how many value columns it prints, which one is the year's (本年度 or 本年, else the latest year printed) and
    which one the cumulative column (累计, 历年累计), when it prints exactly one. A heading row counts only when most
    of the table's rows (int_table_row_labels_matched) print one cell per column under it.

    A heading row is a label or unit heading followed by two to four value headings. The patterns are built from seed
    table_value_columns when the model compiles (longest cue first in each alternation), so that each compiles once.
-#}
{%- set value_column_rows = seed_rows('table_value_columns', ['cue', 'column_role'], order_by='length(cue) desc, cue') -%}
{%- set column_heading_roles = ['label_heading', 'unit_heading'] -%}
{%- set column_heading_cues = value_column_rows | selectattr(1, 'in', column_heading_roles) | map(attribute=0) | join('|') -%}
{%- set value_heading_cues = value_column_rows | rejectattr(1, 'in', column_heading_roles) | map(attribute=0) | join('|') -%}
{%- set heading_pattern = '(?:' ~ column_heading_cues ~ ')[\s|]*(?:(?:' ~ value_heading_cues ~ ')[\s|]*){2,4}' -%}
{%- set value_cue_pattern = value_heading_cues %}

with reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

tabled_matches as (
    select * from {{ ref('int_table_row_labels_matched') }}
    where {{ in_reports_to_build('changed') }}
),

value_column_cues as (
    select cue, column_role from {{ ref('table_value_columns') }}
),

value_headings as (
    {{ explode_regexp_matches('reports', ['report_id'], 'text', string_literal(heading_pattern), with_offsets=true) }}
),

heading_cue_search as (
    select
        report_id,
        match_no as heading_no,
        match_offset as heading_offset,
        match_text as heading_text
    from value_headings
),

heading_cues as (
    {{ explode_regexp_matches(
        'heading_cue_search', ['report_id', 'heading_no', 'heading_offset'], 'heading_text',
        string_literal(value_cue_pattern), with_offsets=false
    ) }}
),

-- The role of each heading (a cue is an RE2 pattern: 本年度, or a year number such as 2012年).
heading_cue_roles as (
    select
        heading_cues.report_id,
        heading_cues.heading_no,
        heading_cues.heading_offset,
        heading_cues.match_no,
        heading_cues.match_text,
        value_column_cues.column_role,
        case
            when value_column_cues.column_role = 'year_number' then try_cast(left(heading_cues.match_text, 4) as integer)
        end as year_number
    from heading_cues
    inner join value_column_cues
        on {{ regexp_matches('heading_cues.match_text', "'^(?:' || value_column_cues.cue || ')$'") }}
),

-- The year's column: the one headed 本年度 (or 本年 ...), else the latest of the years printed as headings.
heading_year_columns as (
    select
        *,
        case
            when count(case when column_role = 'year' then 1 end) over heading_row > 0 then column_role = 'year'
            else column_role = 'year_number' and year_number = max(year_number) over heading_row
        end as is_year_column
    from heading_cue_roles
    window heading_row as (partition by report_id, heading_no)
),

-- Each heading row: how many value columns it prints and which of them is the year's.
value_heading_columns as (
    select
        report_id,
        heading_no,
        heading_offset,
        count(*) as column_count,
        count(case when is_year_column then 1 end) as year_columns,
        min(case when is_year_column then match_no end) as year_position,
        min(case when is_year_column then match_text end) as year_heading,
        -- the cumulative column (累计, 历年累计), kept under codes of its own when the heading prints exactly one
        count(case when column_role = 'cumulative' then 1 end) as cumulative_columns,
        min(case when column_role = 'cumulative' then match_no end) as cumulative_position,
        min(case when column_role = 'cumulative' then match_text end) as cumulative_heading
    from heading_year_columns
    group by report_id, heading_no, heading_offset
),

-- The heading row of a legacy table: the last one printed before the first row's cells. It counts when most of
-- the table's rows print one cell per column under it (a heading read from prose, 各单位本年累计..., does not).
legacy_table_starts as (
    select report_id, min(end_offset) as first_row_end
    from tabled_matches
    where template = 'legacy' and stream_no = 0
    group by report_id
),

legacy_table_headings as (
    select value_heading_columns.*
    from (
        select
            value_heading_columns.*,
            row_number() over (
                partition by value_heading_columns.report_id order by value_heading_columns.heading_offset desc
            ) as heading_rank
        from value_heading_columns
        inner join legacy_table_starts
            on value_heading_columns.report_id = legacy_table_starts.report_id
            and value_heading_columns.heading_offset < legacy_table_starts.first_row_end
    ) as value_heading_columns
    where value_heading_columns.heading_rank = 1 and value_heading_columns.year_columns = 1
),

final as (
    select
        legacy_table_headings.report_id,
        legacy_table_headings.column_count,
        legacy_table_headings.year_position,
        legacy_table_headings.year_heading,
        case when legacy_table_headings.cumulative_columns = 1 then legacy_table_headings.cumulative_position end
            as cumulative_position,
        case when legacy_table_headings.cumulative_columns = 1 then legacy_table_headings.cumulative_heading end
            as cumulative_heading
    from legacy_table_headings
    inner join tabled_matches
        on legacy_table_headings.report_id = tabled_matches.report_id
        and tabled_matches.template = 'legacy'
        and tabled_matches.stream_no = 0
        and tabled_matches.value_count > 0
    group by
        legacy_table_headings.report_id,
        legacy_table_headings.column_count,
        legacy_table_headings.year_position,
        legacy_table_headings.year_heading,
        legacy_table_headings.cumulative_columns,
        legacy_table_headings.cumulative_position,
        legacy_table_headings.cumulative_heading
    having count(case when tabled_matches.value_count = legacy_table_headings.column_count then 1 end) * 2 > count(*)
)

select * from final
