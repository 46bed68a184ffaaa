{#-
    Lines that may hold a table, cut into tokens: separators (| or tab, or runs of spaces in
    space-separated lines), numbers (with the character that follows them when it makes them part of
    the text: 1. 2016年 3649条), and runs of other text. Tokens cover their line without a gap, so
    their offsets are the running sum of their lengths.
-#}
{%- set token_pattern = "\||\t|[^\S\t]+|-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[.．、年月日号条次件项个人篇期家元万亿%]?|[^\s\d|-]+|-" -%}

with report_lines as (
    select report_id, line_no, start_offset, line
    from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
        and (not is_blank and not is_furniture)
),

table_kinds as (
    select line_cue from {{ ref('table_kinds') }}
),

candidate_lines as (
    select
        report_id,
        line_no,
        start_offset,
        line,
        case
            when instr(line, '|') > 0 then 'pipe'
            when instr(line, chr(9)) > 0 then 'tab'
            else 'space'
        end as layout,
        {{ regexp_matches('line', "'^\s*\|.*[^|\s]'") }} as is_markdown_row
    from report_lines
    where (
        length(line) <= {{ var('table_max_line_chars', 300) }}
        or instr(line, '|') > 0
        or instr(line, chr(9)) > 0
        or exists (select 1 from table_kinds where instr(report_lines.line, table_kinds.line_cue) > 0)
    )
    -- markdown separator rows such as |---|:---:|
    and not {{ regexp_matches('line', "'^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?)?\s*$'") }}
),

tokens as (
    {{ explode_regexp_matches(
        'candidate_lines',
        ['report_id', 'line_no', 'start_offset', 'layout', 'is_markdown_row'],
        'line',
        string_literal(token_pattern), with_offsets=false) }}
),

classified_tokens as (
    select
        report_id,
        line_no,
        start_offset,
        layout,
        is_markdown_row,
        match_no as token_no,
        match_text as token,
        case layout
            when 'pipe' then match_text = '|'
            when 'tab' then match_text = chr(9)
            else {{ regexp_matches('match_text', "'^\s+$'") }}
        end as is_separator,
        {{ regexp_matches('match_text', "'^\s+$'") }} as is_space
    from tokens
),

positioned_tokens as (
    select
        *,
        start_offset + coalesce(sum(length(token)) over preceding_tokens, 0) as token_start,
        coalesce(sum(case when is_separator then 1 else 0 end) over preceding_tokens, 0) as cell_no
    from classified_tokens
    window preceding_tokens as (
        partition by report_id, line_no order by token_no rows between unbounded preceding and 1 preceding
    )
),

final as (
    select
        report_id,
        0 as stream_no,
        line_no as row_no,
        cell_no as col_no,
        token_no,
        token,
        cast(token_start as bigint) as token_start,
        cast(token_start + length(token) as bigint) as token_end,
        is_separator,
        is_space,
        layout,
        is_markdown_row
    from positioned_tokens
)

select * from final
