{#-
    Table rows: a run of text elements (the row label, wrapped labels re-joined) followed by its values,
    blank cells and unit. A row counts when the end of its label is one of the label keys of the
    table_row_labels seed (the longest key wins; keys with a context_row_key only under that row, as
    其他情形数 under 行政复议数量 or 行政诉讼数量) and its table has at least min_matched_rows rows in the report.
-#}
{%- set enumerator = "[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|[0-9][.．、]" -%}
{#- everything but Han characters and digits: what label normalization drops -#}
{%- set not_label_char = "'[^" ~ han_class() ~ "0-9]'" -%}
{#-
    Local legacy tables with more than one value column print a heading row such as 指标名称 | 单位 | 本年度 | 累计:
    a label or unit heading followed by two to four value headings. The patterns are built from seed
    table_value_columns when the model compiles (longest cue first in each alternation), so that each compiles once.
-#}
{%- set value_column_rows = seed_rows('table_value_columns', ['cue', 'column_role'], order_by='length(cue) desc, cue') -%}
{%- set column_heading_roles = ['label_heading', 'unit_heading'] -%}
{%- set column_heading_cues = value_column_rows | selectattr(1, 'in', column_heading_roles) | map(attribute=0) | join('|') -%}
{%- set value_heading_cues = value_column_rows | rejectattr(1, 'in', column_heading_roles) | map(attribute=0) | join('|') -%}
{%- set heading_pattern = '(?:' ~ column_heading_cues ~ ')[\s|]*(?:(?:' ~ value_heading_cues ~ ')[\s|]*){2,4}' -%}
{%- set value_cue_pattern = value_heading_cues %}

with elements as (
    select * from {{ ref('int_table_elements_classified') }}
    where {{ in_reports_to_build('changed') }}
),

reports as (
    select report_id, text from {{ ref('stg_reports') }}
    where {{ in_reports_to_build('changed') }}
),

report_lines as (
    select report_id, line_no, start_offset, end_offset, line, ends_text_line from {{ ref('stg_report_lines') }}
    where {{ in_reports_to_build('changed') }}
),

row_labels as (
    select
        *,
        right(label_key, 2) as label_key_tail,
        row_number() over (order by table_kind, template, row_key, label_key, context_row_key) as label_id
    from {{ ref('table_row_labels') }}
),

table_kinds as (
    select * from {{ ref('table_kinds') }}
),

template_cues as (
    select * from {{ ref('table_template_cues') }}
),

layouts as (
    select table_kind, template, row_key, count(*) as expected_cells
    from {{ ref('table_layouts') }}
    group by table_kind, template, row_key
),

value_column_cues as (
    select cue, column_role from {{ ref('table_value_columns') }}
),

units as (
    select unit from {{ ref('units') }}
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

-- format_2019 or format_2021 from the column headings and row labels only one of them prints.
report_templates as (
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
),

-- Position of each value or blank cell in its group, to trim the empty cells that are really label padding
-- (a label spanning three columns of an HTML table leaves two empty cells before the values).
valued_elements as (
    select
        report_id,
        stream_no,
        group_no,
        element_no,
        element_text = '' and element_kind = 'blank' as is_empty_cell,
        row_number() over (partition by report_id, stream_no, group_no order by element_no) as cell_position,
        count(*) over (partition by report_id, stream_no, group_no) as cell_total
    from elements
    where element_kind in ('value', 'blank') and group_no > 0
),

group_padding as (
    select
        report_id,
        stream_no,
        group_no,
        coalesce(min(case when not is_empty_cell then cell_position end) - 1, max(cell_total)) as leading_empty_cells,
        coalesce(max(cell_total) - max(case when not is_empty_cell then cell_position end), max(cell_total))
            as trailing_empty_cells,
        count(case when not is_empty_cell then 1 end) as filled_cells,
        min(case when not is_empty_cell then element_no end) as first_filled_element
    from valued_elements
    group by report_id, stream_no, group_no
),

-- The values of a group that may be one run whose cells lost their separators: only values (a sign or a decimal
-- point allowed), nothing between them but spaces (a stray space inside a run, 150 000015), the first glued to the
-- label (行政处罚1120-61873 reads as 1120 and -61873).
run_spans as (
    select
        report_id,
        stream_no,
        group_no,
        count(case when element_kind = 'value' then 1 end) as value_elements,
        count(case when element_kind in ('blank', 'unit') and element_text <> '' then 1 end) as other_cells,
        count(case when element_kind = 'value'
            and not {{ regexp_matches('element_text', "'^[-+]?[0-9]+([.][0-9]+)?$'") }} then 1 end) as odd_values,
        min(case when element_kind = 'value' then element_start end) as span_start,
        max(case when element_kind = 'value' then element_end end) as span_end,
        max(case when element_kind = 'text' then element_end end) as label_end,
        min(case when element_kind = 'value' then row_no end) as span_first_row,
        max(case when element_kind = 'value' then row_no end) as span_last_row
    from elements
    where stream_no = 0 and group_no > 0
    group by report_id, stream_no, group_no
),

-- the text of a run on one line (a run over a line break is none: its LF is no cell character), read from its
-- line, not from the whole text: a substring of a long text per run grows with the square of its size
run_texts as (
    select
        run_spans.report_id,
        run_spans.stream_no,
        run_spans.group_no,
        substr(
            report_lines.line,
            cast(run_spans.span_start - report_lines.start_offset + 1 as integer),
            cast(run_spans.span_end - run_spans.span_start as integer)
        ) as span_text
    from run_spans
    inner join report_lines
        on run_spans.report_id = report_lines.report_id
        and run_spans.span_first_row = report_lines.line_no
    where run_spans.span_first_row = run_spans.span_last_row
        and run_spans.value_elements >= 1
        and run_spans.other_cells = 0
        and run_spans.odd_values = 0
        and (run_spans.value_elements = 1 or run_spans.label_end = run_spans.span_start)
),

row_groups as (
    select
        report_id,
        stream_no,
        group_no,
        {{ string_agg_ordered("case when element_kind = 'text' then element_text end", 'element_no') }} as label_text,
        count(case when element_kind in ('value', 'blank') then 1 end) as value_count,
        count(case when element_kind in ('value', 'unit') or element_text <> '' then 1 end)
        - count(case when element_kind = 'text' then 1 end) as filled_count,
        min(case when element_kind = 'unit' then element_text end) as printed_unit,
        min(case when element_kind = 'value' then element_text end) as first_value_text,
        min(row_no) as first_row_no,
        max(row_no) as last_row_no,
        min(case when element_kind = 'text' then row_no end) as first_label_row,
        max(case when element_kind = 'text' then row_no end) as last_label_row,
        min(element_start) as start_offset,
        max(element_end) as end_offset
    from elements
    where group_no > 0
    group by report_id, stream_no, group_no
    having count(case when element_kind in ('value', 'blank', 'unit') then 1 end) > 0
),

-- The last line of a label that spans several lines: a legacy row printed under a heading line with no values
-- (二、依申请公开 / 申请总数 | 件 | 15) may be matched by it alone.
last_line_labels as (
    select
        elements.report_id,
        elements.stream_no,
        elements.group_no,
        {{ regexp_replace_all(
            regexp_replace_all(
                "regexp_extract(" ~ regexp_replace_all(
                    string_agg_ordered('elements.element_text', 'elements.element_no'),
                    string_literal('(' ~ enumerator ~ ')'),
                    "chr(1)"
                ) ~ ", '[^\x01]*$')",
                not_label_char,
                "''"
            ),
            "'^其中'",
            "''"
        ) }} as last_line_norm
    from elements
    inner join row_groups
        on elements.report_id = row_groups.report_id
        and elements.stream_no = row_groups.stream_no
        and elements.group_no = row_groups.group_no
        and elements.row_no = row_groups.last_label_row
    where elements.element_kind = 'text'
        and row_groups.first_label_row < row_groups.last_label_row
    group by elements.report_id, elements.stream_no, elements.group_no
),

-- A label wrapped onto the next line of a table rebuilt by OCR: a line of label text and empty cells only, then a
-- line whose text ends the label and carries the values (| 其他对外管理服务 | | | | then | 事项 | 5 | 0 | 87 |), or two
-- such lines before it. The joined label is only tried where no line's own label matches a row (see candidates).
wrapped_labels as (
    select
        row_groups.report_id,
        row_groups.stream_no,
        row_groups.group_no,
        first_lines.label_text || row_groups.label_text as label_text,
        first_lines.start_offset as wrap_start_offset,
        first_lines.first_label_row as wrap_first_row,
        first_lines.group_no as wrap_first_group,
        1 as label_version
    from row_groups
    inner join row_groups as first_lines
        on row_groups.report_id = first_lines.report_id
        and row_groups.stream_no = first_lines.stream_no
        and row_groups.group_no = first_lines.group_no + 1
    where first_lines.filled_count = 0
        and first_lines.label_text is not null
        and first_lines.first_label_row = first_lines.last_row_no
        and row_groups.first_label_row = first_lines.last_row_no + 1
        and row_groups.first_label_row = row_groups.first_row_no
    union all
    -- a label wrapped over three lines (| 2.申请人逾期未按收费通知要求 | | … then | 缴纳费用、行政机关不再处理其政 | | …
    -- then | 府信息公开申请 | 0 | … |): two lines of label text and empty cells only, then the line with the values
    select
        row_groups.report_id,
        row_groups.stream_no,
        row_groups.group_no,
        first_lines.label_text || second_lines.label_text || row_groups.label_text as label_text,
        first_lines.start_offset as wrap_start_offset,
        first_lines.first_label_row as wrap_first_row,
        first_lines.group_no as wrap_first_group,
        -- tried after the two-line label and the printed label read back (label_version 2)
        4 as label_version
    from row_groups
    inner join row_groups as second_lines
        on row_groups.report_id = second_lines.report_id
        and row_groups.stream_no = second_lines.stream_no
        and row_groups.group_no = second_lines.group_no + 1
    inner join row_groups as first_lines
        on second_lines.report_id = first_lines.report_id
        and second_lines.stream_no = first_lines.stream_no
        and second_lines.group_no = first_lines.group_no + 1
    where first_lines.filled_count = 0
        and second_lines.filled_count = 0
        and first_lines.label_text is not null
        and second_lines.label_text is not null
        and first_lines.first_label_row = first_lines.last_row_no
        and second_lines.first_label_row = second_lines.last_row_no
        and second_lines.first_label_row = first_lines.last_row_no + 1
        and row_groups.first_label_row = second_lines.last_row_no + 1
        and row_groups.first_label_row = row_groups.first_row_no
),

printed_and_wrapped_labels as (
    select
        report_id,
        stream_no,
        group_no,
        label_text,
        value_count,
        printed_unit,
        first_value_text,
        first_row_no,
        last_row_no,
        first_label_row,
        last_label_row,
        start_offset,
        end_offset,
        0 as label_version,
        false as label_wrapped,
        cast(null as bigint) as wrap_start_offset,
        cast(null as bigint) as wrap_first_row,
        cast(null as bigint) as wrap_first_group
    from row_groups
    union all
    select
        row_groups.report_id,
        row_groups.stream_no,
        row_groups.group_no,
        wrapped_labels.label_text,
        row_groups.value_count,
        row_groups.printed_unit,
        row_groups.first_value_text,
        row_groups.first_row_no,
        row_groups.last_row_no,
        row_groups.first_label_row,
        row_groups.last_label_row,
        row_groups.start_offset,
        row_groups.end_offset,
        wrapped_labels.label_version,
        true as label_wrapped,
        wrapped_labels.wrap_start_offset,
        wrapped_labels.wrap_first_row,
        wrapped_labels.wrap_first_group
    from row_groups
    inner join wrapped_labels
        on row_groups.report_id = wrapped_labels.report_id
        and row_groups.stream_no = wrapped_labels.stream_no
        and row_groups.group_no = wrapped_labels.group_no
),

-- Characters OCR misreads in labels (己 for 已, 末 for 未, l for the enumerator 1), read back from the
-- table_label_misreadings seed: a label read back is only tried where it as printed matches nothing (see candidates).
label_misreadings as (
    select
        {{ string_agg_ordered('misread', 'misread') }} as misread_chars,
        {{ string_agg_ordered('reading', 'misread') }} as reading_chars
    from {{ ref('table_label_misreadings') }}
),

label_versions as (
    select
        report_id,
        stream_no,
        group_no,
        label_text,
        value_count,
        printed_unit,
        first_value_text,
        first_row_no,
        last_row_no,
        first_label_row,
        last_label_row,
        start_offset,
        end_offset,
        label_version,
        label_wrapped,
        wrap_start_offset,
        wrap_first_row,
        wrap_first_group
    from printed_and_wrapped_labels
    union all
    select
        report_id,
        stream_no,
        group_no,
        read_back_text as label_text,
        value_count,
        printed_unit,
        first_value_text,
        first_row_no,
        last_row_no,
        first_label_row,
        last_label_row,
        start_offset,
        end_offset,
        label_version + 2 as label_version,
        label_wrapped,
        wrap_start_offset,
        wrap_first_row,
        wrap_first_group
    from (
        select
            printed_and_wrapped_labels.*,
            translate(
                printed_and_wrapped_labels.label_text, label_misreadings.misread_chars, label_misreadings.reading_chars
            ) as read_back_text
        from printed_and_wrapped_labels
        cross join label_misreadings
    ) as read_back_labels
    where read_back_text <> label_text
),

-- read by each way of matching a label: computed once ({{ materialized() }}), its regular expressions run once per label
normalized_groups as {{ materialized() }} (
    select
        *,
        {{ regexp_replace_all('label_core', not_label_char, "''") }} as label_norm,
        -- the label after its last enumerator (（三）不予公开 1.属于国家秘密 -> 属于国家秘密), without 其中
        {{ regexp_replace_all(
            regexp_replace_all(
                "regexp_extract(" ~ regexp_replace_all('label_core', string_literal('(' ~ enumerator ~ ')'), "chr(1)") ~ ", '[^\x01]*$')",
                not_label_char,
                "''"
            ),
            "'^其中'",
            "''"
        ) }} as label_segment_norm
    from (
        select
            *,
            -- a trailing note such as （不同渠道和方式公开相同信息计1条） is not part of the label
            coalesce(
                nullif({{ regexp_replace_all('right(label_text, 200)', "'[（(][^（()）]{2,}[)）]\s*$'", "''") }}, ''),
                right(label_text, 200)
            ) as label_core
        from label_versions
    )
),

-- Label keys each group's label matches (segment: equal to the text after the last enumerator; suffix: the end).
label_matches as (
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        cast(null as varchar) as glued_unit
    from normalized_groups
    inner join row_labels
        on normalized_groups.label_segment_norm = row_labels.label_key
        and row_labels.match_mode = 'segment'
    union all
    -- a legacy label with its unit cell run into it (主动公开政府信息数条3126 on a page flattened to one line)
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        units.unit as glued_unit
    from normalized_groups
    inner join units
        on right(normalized_groups.label_segment_norm, length(units.unit)) = units.unit
        and length(normalized_groups.label_segment_norm) > length(units.unit)
    inner join row_labels
        on left(normalized_groups.label_segment_norm, length(normalized_groups.label_segment_norm) - length(units.unit))
        = row_labels.label_key
        and row_labels.match_mode = 'segment'
        and row_labels.template = 'legacy'
    union all
    select
        last_line_labels.report_id,
        last_line_labels.stream_no,
        last_line_labels.group_no,
        0 as label_version,
        row_labels.label_id,
        cast(null as varchar) as glued_unit
    from last_line_labels
    inner join row_labels
        on last_line_labels.last_line_norm = row_labels.label_key
        and row_labels.match_mode = 'segment'
        and row_labels.template = 'legacy'
    union all
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        cast(null as varchar) as glued_unit
    from normalized_groups
    inner join row_labels
        on right(normalized_groups.label_norm, 2) = row_labels.label_key_tail
        and right(normalized_groups.label_norm, length(row_labels.label_key)) = row_labels.label_key
        and row_labels.match_mode = 'suffix'
        -- what may come right before the key: a column heading's last character or a number, not prose
        -- (市政府规章 1 件 is a sentence, 现行有效件数 规章 0 0 0 a table row)
        and (
            row_labels.preceded_by is null
            or normalized_groups.label_norm = row_labels.label_key
            or {{ regexp_matches(
                'left(normalized_groups.label_norm, length(normalized_groups.label_norm) - length(row_labels.label_key))',
                "row_labels.preceded_by || '$'"
            ) }}
        )
),

all_candidates as (
    select
        normalized_groups.*,
        report_templates.modern_template,
        row_labels.table_kind,
        row_labels.template as label_template,
        row_labels.row_key,
        row_labels.label_key,
        row_labels.context_row_key,
        label_matches.glued_unit
    from label_matches
    inner join normalized_groups
        on label_matches.report_id = normalized_groups.report_id
        and label_matches.stream_no = normalized_groups.stream_no
        and label_matches.group_no = normalized_groups.group_no
        and label_matches.label_version = normalized_groups.label_version
    inner join row_labels on label_matches.label_id = row_labels.label_id
    inner join report_templates on normalized_groups.report_id = report_templates.report_id
    where row_labels.template in ('legacy', 'modern') or row_labels.template = report_templates.modern_template
),

-- A row's label as printed wins; else the label joined with the line before it (when that line matches nothing by
-- itself); else the label with its misread characters read back; else both.
candidates as (
    select all_candidates.*
    from (
        select
            *,
            min(label_version) over (partition by report_id, stream_no, group_no) as first_version
        from all_candidates
    ) as all_candidates
    where all_candidates.label_version = all_candidates.first_version
        and (
            not all_candidates.label_wrapped
            or not exists (
                select 1 from all_candidates as first_lines
                where first_lines.report_id = all_candidates.report_id
                    and first_lines.stream_no = all_candidates.stream_no
                    and first_lines.group_no >= all_candidates.wrap_first_group
                    and first_lines.group_no < all_candidates.group_no
            )
        )
),

anchor_matches as (
    select distinct report_id, stream_no, group_no, row_key as anchor_key
    from candidates
    where context_row_key is null
        and row_key in (select context_row_key from row_labels where context_row_key is not null)
),

candidate_groups as (
    select distinct report_id, stream_no, group_no from candidates
),

groups_with_anchor as (
    select
        candidate_groups.*,
        last_value(anchor_matches.anchor_key ignore nulls) over (
            partition by candidate_groups.report_id, candidate_groups.stream_no
            order by candidate_groups.group_no
            rows between unbounded preceding and 1 preceding
        ) as previous_anchor_key
    from candidate_groups
    left join anchor_matches
        on candidate_groups.report_id = anchor_matches.report_id
        and candidate_groups.stream_no = anchor_matches.stream_no
        and candidate_groups.group_no = anchor_matches.group_no
),

best_matches as (
    select *
    from (
        select
            candidates.*,
            row_number() over (
                partition by candidates.report_id, candidates.stream_no, candidates.group_no
                order by length(candidates.label_key) desc, candidates.context_row_key nulls last
            ) as match_rank
        from candidates
        inner join groups_with_anchor
            on candidates.report_id = groups_with_anchor.report_id
            and candidates.stream_no = groups_with_anchor.stream_no
            and candidates.group_no = groups_with_anchor.group_no
        where candidates.context_row_key is null
            or candidates.context_row_key = groups_with_anchor.previous_anchor_key
    )
    where match_rank = 1
),

table_row_counts as (
    select report_id, table_kind, count(distinct row_key) as matched_rows
    from best_matches
    group by report_id, table_kind
),

tabled_matches as (
    select
        best_matches.*,
        case when best_matches.label_template = 'legacy' then 'legacy' else best_matches.modern_template end
            as template
    from best_matches
    inner join table_row_counts
        on best_matches.report_id = table_row_counts.report_id
        and best_matches.table_kind = table_row_counts.table_kind
    inner join table_kinds on best_matches.table_kind = table_kinds.table_kind
    where table_row_counts.matched_rows >= table_kinds.min_matched_rows
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

report_value_columns as (
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
),

-- The label as written: the last text elements of the group that hold the matched label key.
label_element_chars as (
    select
        tabled_matches.report_id,
        tabled_matches.stream_no,
        tabled_matches.group_no,
        elements.element_no,
        elements.element_text,
        length({{ regexp_replace_all('elements.element_text', not_label_char, "''") }}) as label_chars,
        tabled_matches.needed_label_chars
    from (
        select
            *,
            -- characters the key needs, plus those of the trailing note that matching left out
            length(label_key)
            + length(coalesce(glued_unit, ''))
            + length({{ regexp_replace_all('right(label_text, 200)', not_label_char, "''") }})
            - length(label_norm) as needed_label_chars
        from tabled_matches
    ) as tabled_matches
    inner join elements
        on tabled_matches.report_id = elements.report_id
        and tabled_matches.stream_no = elements.stream_no
        and tabled_matches.group_no = elements.group_no
    where elements.element_kind = 'text'
),

label_elements as (
    select
        report_id,
        stream_no,
        group_no,
        element_no,
        element_text,
        needed_label_chars,
        {{ regexp_matches('element_text', "'^[(（]?[一二三四五六七八九十0-9]{1,2}[)）.．、]?$'") }} as is_enumerator,
        lead(label_chars) over label_order as next_label_chars,
        sum(label_chars) over (partition by report_id, stream_no, group_no)
        - sum(label_chars) over (label_order rows between unbounded preceding and current row) as later_label_chars
    from label_element_chars
    window label_order as (partition by report_id, stream_no, group_no order by element_no)
),

row_labels_as_written as (
    select
        report_id,
        stream_no,
        group_no,
        trim({{ string_agg_ordered('element_text', 'element_no') }}) as row_label,
        min(element_no) as label_first_element
    from label_elements
    where later_label_chars < needed_label_chars
        or (is_enumerator and later_label_chars - next_label_chars < needed_label_chars)
    group by report_id, stream_no, group_no
),

label_offsets as (
    select
        row_labels_as_written.*,
        elements.element_start as label_start,
        elements.row_no as label_row_no
    from row_labels_as_written
    inner join elements
        on row_labels_as_written.report_id = elements.report_id
        and row_labels_as_written.stream_no = elements.stream_no
        and row_labels_as_written.label_first_element = elements.element_no
),

sized_matches as (
    select
        tabled_matches.*,
        -- a legacy row under a heading row of several value columns prints one cell per column
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.column_count
        end as value_columns,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.year_position
        end as year_position,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.year_heading
        end as column_heading,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.cumulative_position
        end as cumulative_position,
        case
            when tabled_matches.template = 'legacy' and layouts.expected_cells = 1
                then report_value_columns.cumulative_heading
        end as cumulative_heading,
        coalesce(layouts.expected_cells, 0) as expected_cells,
        group_padding.filled_cells,
        -- too many cells: drop empty padding cells, leading ones first, until the layout's count is left
        case
            when tabled_matches.value_count > layouts.expected_cells
                and group_padding.leading_empty_cells + group_padding.trailing_empty_cells
                >= tabled_matches.value_count - layouts.expected_cells
                then least(group_padding.leading_empty_cells, tabled_matches.value_count - layouts.expected_cells)
        end as padding_skipped,
        -- one filled cell holding a run of digits, perhaps with padding around it
        case
            when group_padding.filled_cells = 1
                and filled_elements.element_kind = 'value'
                and {{ regexp_matches('filled_elements.element_text', "'^\d+$'") }}
                and length(filled_elements.element_text) >= layouts.expected_cells
                then filled_elements.element_text
        end as digits_run_text,
        -- fewer values than cells that together are one run (signs, decimals and stray spaces kept)
        case
            when tabled_matches.value_count < layouts.expected_cells
                and {{ regexp_matches('run_texts.span_text', "'^[-+]?[0-9][-+.0-9 ]*$'") }}
                and length({{ regexp_replace_all('run_texts.span_text', "'[^0-9]'", "''") }}) >= layouts.expected_cells
                then run_texts.span_text
        end as span_run_text
    from tabled_matches
    left join layouts
        on tabled_matches.table_kind = layouts.table_kind
        and tabled_matches.row_key = layouts.row_key
        and (layouts.template = tabled_matches.template or layouts.template = 'modern')
    left join group_padding
        on tabled_matches.report_id = group_padding.report_id
        and tabled_matches.stream_no = group_padding.stream_no
        and tabled_matches.group_no = group_padding.group_no
    left join elements as filled_elements
        on group_padding.report_id = filled_elements.report_id
        and group_padding.stream_no = filled_elements.stream_no
        and group_padding.first_filled_element = filled_elements.element_no
    left join report_value_columns
        on tabled_matches.report_id = report_value_columns.report_id
        and tabled_matches.stream_no = 0
    left join run_texts
        on tabled_matches.report_id = run_texts.report_id
        and tabled_matches.stream_no = run_texts.stream_no
        and tabled_matches.group_no = run_texts.group_no
),

-- A run with a space inside (64 01305) is only taken in a table whose other rows ran together too: elsewhere the
-- space may separate cells of which one was left out.
sized_runs as (
    select
        *,
        coalesce(
            digits_run_text,
            case
                when instr(span_run_text, ' ') = 0 or table_digit_runs > 0 then span_run_text
            end
        ) as run_text
    from (
        select
            *,
            count(
                case when expected_cells > 1 and value_count < expected_cells then digits_run_text end
            ) over (partition by report_id, stream_no, table_kind) as table_digit_runs
        from sized_matches
    ) as counted
),

-- The cells of rows from reader tables, as evidence (text rows quote the report's text instead).
reader_cells as (
    select
        report_id,
        stream_no,
        group_no,
        {{ string_agg_ordered("coalesce(element_text, '')", 'element_no', "' | '") }} as cells_text
    from elements
    where stream_no > 0 and element_kind <> 'text'
    group by report_id, stream_no, group_no
),

-- The evidence of a text row: the report's text from its label to its last cell, read from the lines it spans (a
-- substring of a long text per row grows with the square of its size): each line's part of the span, and the LF
-- after it when that falls inside the span.
text_row_spans as (
    select
        sized_matches.report_id,
        sized_matches.stream_no,
        sized_matches.group_no,
        coalesce(sized_matches.wrap_start_offset, label_offsets.label_start, sized_matches.start_offset) as span_start,
        sized_matches.end_offset as span_end,
        least(
            coalesce(sized_matches.wrap_first_row, label_offsets.label_row_no, sized_matches.first_row_no),
            sized_matches.first_row_no
        ) as first_line,
        sized_matches.last_row_no as last_line
    from sized_runs as sized_matches
    left join label_offsets
        on sized_matches.report_id = label_offsets.report_id
        and sized_matches.stream_no = label_offsets.stream_no
        and sized_matches.group_no = label_offsets.group_no
    where sized_matches.stream_no = 0
),

text_row_span_lines as (
    {{ explode_integer_range(
        'text_row_spans', ['report_id', 'stream_no', 'group_no', 'span_start', 'span_end'],
        'first_line', 'last_line', 'line_no') }}
),

text_row_parts as (
    select
        text_row_span_lines.report_id,
        text_row_span_lines.stream_no,
        text_row_span_lines.group_no,
        report_lines.line_no,
        substr(
            report_lines.line,
            cast(greatest(text_row_span_lines.span_start - report_lines.start_offset, 0) + 1 as integer),
            cast(
                least(text_row_span_lines.span_end, report_lines.end_offset)
                - greatest(text_row_span_lines.span_start, report_lines.start_offset)
                as integer
            )
        ) || case
            when report_lines.ends_text_line and report_lines.end_offset < text_row_span_lines.span_end then chr(10)
            else ''
        end as part_text
    from text_row_span_lines
    inner join report_lines
        on text_row_span_lines.report_id = report_lines.report_id
        and text_row_span_lines.line_no = report_lines.line_no
    where report_lines.start_offset <= text_row_span_lines.span_end
        and report_lines.end_offset >= text_row_span_lines.span_start
),

text_row_evidence as (
    select
        report_id,
        stream_no,
        group_no,
        {{ string_agg_ordered('part_text', 'line_no') }} as span_text
    from text_row_parts
    group by report_id, stream_no, group_no
),

matched_rows as (
    select
        sized_matches.report_id,
        sized_matches.stream_no,
        sized_matches.group_no,
        sized_matches.table_kind,
        sized_matches.template,
        sized_matches.row_key,
        sized_matches.label_key,
        -- a wrapped label is the two lines' labels joined, its row starting on the first line
        case when sized_matches.label_wrapped then trim(sized_matches.label_text) else label_offsets.row_label end
            as row_label,
        coalesce(sized_matches.printed_unit, sized_matches.glued_unit) as printed_unit,
        sized_matches.value_count,
        coalesce(sized_matches.value_columns, sized_matches.expected_cells) as expected_cells,
        case
            when sized_matches.expected_cells = 0 then 'heading'
            -- several value columns (本年度 | 累计): only a row with one cell per column is read
            when sized_matches.value_columns is not null then
                case
                    when sized_matches.value_count = 0 then 'blank_row'
                    when sized_matches.value_count = sized_matches.value_columns then 'cells'
                    when sized_matches.filled_cells = 0 then 'heading'
                    else 'cell_count_mismatch'
                end
            when sized_matches.value_count = 0 then 'blank_row'
            when sized_matches.value_count = sized_matches.expected_cells then 'cells'
            when sized_matches.padding_skipped is not null then 'cells'
            when sized_matches.run_text is not null and sized_matches.expected_cells > 1 then 'run'
            -- a label followed by nothing but empty cells of the wrong count is a heading cell (总计 over a column)
            when sized_matches.filled_cells = 0 then 'heading'
            else 'cell_count_mismatch'
        end as row_status,
        case
            when sized_matches.value_columns is not null then sized_matches.year_position - 1
            when sized_matches.value_count = sized_matches.expected_cells then 0
            else coalesce(sized_matches.padding_skipped, 0)
        end as leading_cells_skipped,
        sized_matches.column_heading,
        sized_matches.run_text,
        case when sized_matches.stream_no = 0 then coalesce(sized_matches.wrap_first_row, label_offsets.label_row_no, sized_matches.first_row_no) end
            as start_line,
        case when sized_matches.stream_no = 0 then sized_matches.last_row_no end as end_line,
        coalesce(sized_matches.wrap_start_offset, label_offsets.label_start, sized_matches.start_offset) as start_offset,
        sized_matches.end_offset,
        case
            when sized_matches.stream_no = 0
                then replace(replace(text_row_evidence.span_text, chr(10), ' '), chr(9), ' | ')
            else label_offsets.row_label || ' | ' || reader_cells.cells_text
        end as evidence,
        -- the cells before the cumulative column (累计) of a legacy row read under its heading, else null
        case
            when sized_matches.value_columns is not null and sized_matches.cumulative_position is not null
                then sized_matches.cumulative_position - 1
        end as cumulative_cells_skipped,
        case when sized_matches.value_columns is not null then sized_matches.cumulative_heading end
            as cumulative_heading
    from sized_runs as sized_matches
    left join text_row_evidence
        on sized_matches.report_id = text_row_evidence.report_id
        and sized_matches.stream_no = text_row_evidence.stream_no
        and sized_matches.group_no = text_row_evidence.group_no
    left join reader_cells
        on sized_matches.report_id = reader_cells.report_id
        and sized_matches.stream_no = reader_cells.stream_no
        and sized_matches.group_no = reader_cells.group_no
    left join label_offsets
        on sized_matches.report_id = label_offsets.report_id
        and sized_matches.stream_no = label_offsets.stream_no
        and sized_matches.group_no = label_offsets.group_no
),

-- A row whose cells are all blank in a table printed on one line leaves only its label, which then runs into the
-- next row's label (二、上年结转政府信息公开申请数量三、本年度办理结果（一）予以公开...): the labels inside a matched
-- row's label, cut at their enumerators, are blank rows of the same table.
label_segments as (
    select
        report_id,
        stream_no,
        group_no,
        table_kind,
        template,
        modern_template,
        start_offset,
        first_row_no,
        {{ regexp_replace_all('right(label_text, 400)', string_literal('(' ~ enumerator ~ ')'), "chr(1) || '\\1'") }}
            as marked_label
    from tabled_matches
),

exploded_segments as (
    {{ explode_regexp_matches(
        'label_segments',
        ['report_id', 'stream_no', 'group_no', 'table_kind', 'template', 'modern_template', 'start_offset', 'first_row_no'],
        'marked_label',
        string_literal('[^\x01]+'), with_offsets=false) }}
),

inner_segments as (
    select
        *,
        count(*) over (partition by report_id, stream_no, group_no) as segment_count,
        {{ regexp_replace_all(
            regexp_replace_all(
                regexp_replace_all('match_text', string_literal('^\s*(' ~ enumerator ~ ')'), "''"),
                not_label_char,
                "''"
            ),
            "'^其中'",
            "''"
        ) }} as segment_norm
    from exploded_segments
),

inner_blank_rows as (
    select
        inner_segments.report_id,
        inner_segments.stream_no,
        inner_segments.group_no,
        inner_segments.table_kind,
        inner_segments.template,
        row_labels.row_key,
        row_labels.label_key,
        trim(inner_segments.match_text) as row_label,
        cast(null as varchar) as printed_unit,
        0 as value_count,
        layouts.expected_cells,
        'blank_row' as row_status,
        0 as leading_cells_skipped,
        cast(null as varchar) as column_heading,
        cast(null as varchar) as run_text,
        case when inner_segments.stream_no = 0 then inner_segments.first_row_no end as start_line,
        case when inner_segments.stream_no = 0 then inner_segments.first_row_no end as end_line,
        inner_segments.start_offset,
        inner_segments.start_offset as end_offset,
        trim(inner_segments.match_text) || ' | (no cells)' as evidence,
        cast(null as integer) as cumulative_cells_skipped,
        cast(null as varchar) as cumulative_heading
    from inner_segments
    inner join row_labels
        on inner_segments.segment_norm = row_labels.label_key
        and row_labels.match_mode = 'segment'
        and row_labels.table_kind = inner_segments.table_kind
        and row_labels.context_row_key is null
        and (row_labels.template in ('legacy', 'modern') or row_labels.template = inner_segments.modern_template)
    inner join layouts
        on row_labels.table_kind = layouts.table_kind
        and row_labels.row_key = layouts.row_key
        and (layouts.template = inner_segments.template or layouts.template = 'modern')
    where inner_segments.match_no < inner_segments.segment_count
        and not exists (
            select 1 from matched_rows
            where matched_rows.report_id = inner_segments.report_id
                and matched_rows.table_kind = row_labels.table_kind
                and matched_rows.row_key = row_labels.row_key
        )
),

final as (
    select
        *,
        row_number() over (
            partition by report_id, table_kind, row_key order by stream_no, group_no, start_offset
        ) as occurrence_no
    from (
        select * from matched_rows
        union all
        select * from inner_blank_rows
    )
)

select * from final
