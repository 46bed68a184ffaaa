{#-
    The labels of the table row groups, each in the versions it may be matched by, normalized once for every way of
    matching them (int_table_row_labels_matched): label_version 0 the label as printed; 1 joined with the line before
    it (a label OCR wrapped); 4 joined with the two lines before it; 2, 3 and 6 those with the characters OCR misreads
    read back (seed table_label_misreadings), only where that changes them. The normalization is the macros of
    macros/table_labels.sql.
-#}

with elements as (
    select * from {{ ref('int_table_elements_classified') }}
    where {{ in_reports_to_build('changed') }}
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
        {{ table_label_last_segment_key(string_agg_ordered('elements.element_text', 'elements.element_no')) }}
            as last_line_norm
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
-- such lines before it. The joined label is only tried where no line's own label matches a row
-- (int_table_row_labels_matched).
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
-- table_label_misreadings seed: a label read back is only tried where it as printed matches nothing (int_table_row_labels_matched).
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

-- a trailing note such as （不同渠道和方式公开相同信息计1条） is not part of the label
label_cores as (
    select
        *,
        coalesce(
            nullif({{ regexp_replace_all('right(label_text, 200)', "'[（(][^（()）]{2,}[)）]\s*$'", "''") }}, ''),
            right(label_text, 200)
        ) as label_core
    from label_versions
),

final as (
    select
        label_cores.report_id,
        label_cores.stream_no,
        label_cores.group_no,
        label_cores.label_version,
        label_cores.label_wrapped,
        label_cores.label_text,
        {{ table_label_chars('label_cores.label_core') }} as label_norm,
        -- the label after its last enumerator (（三）不予公开 1.属于国家秘密 -> 属于国家秘密), without 其中
        {{ table_label_last_segment_key('label_cores.label_core') }} as label_segment_norm,
        -- the last line of a label printed over several lines, normalized the same way (the printed label only)
        case when label_cores.label_version = 0 then last_line_labels.last_line_norm end as last_line_norm,
        label_cores.value_count,
        label_cores.printed_unit,
        label_cores.first_row_no,
        label_cores.last_row_no,
        label_cores.start_offset,
        label_cores.end_offset,
        label_cores.wrap_start_offset,
        label_cores.wrap_first_row,
        label_cores.wrap_first_group
    from label_cores
    left join last_line_labels
        on label_cores.report_id = last_line_labels.report_id
        and label_cores.stream_no = last_line_labels.stream_no
        and label_cores.group_no = last_line_labels.group_no
        and label_cores.label_version = 0
)

select * from final
