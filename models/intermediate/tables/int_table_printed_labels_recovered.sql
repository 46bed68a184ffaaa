{#-
    The label of each matched row as the report prints it: the last text elements of its row group that hold the
    matched label key (with their enumerator, and the trailing note matching left out), where it starts and on
    which line. A row group's text may hold more than its label (a column heading, the labels of blank rows run into
    it); the row's evidence and offsets start at this label.
-#}

with elements as (
    select * from {{ ref('int_table_elements_classified') }}
    where {{ in_reports_to_build('changed') }}
),

tabled_matches as (
    select * from {{ ref('int_table_row_labels_matched') }}
    where {{ in_reports_to_build('changed') }}
),

-- The label as written: the last text elements of the group that hold the matched label key.
label_element_chars as (
    select
        tabled_matches.report_id,
        tabled_matches.stream_no,
        tabled_matches.group_no,
        elements.element_no,
        elements.element_text,
        length({{ table_label_chars('elements.element_text') }}) as label_chars,
        tabled_matches.needed_label_chars
    from (
        select
            *,
            -- characters the key needs, plus those of the trailing note that matching left out
            length(label_key)
            + length(coalesce(glued_unit, ''))
            + length({{ table_label_chars('right(label_text, 200)') }})
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
        - sum(label_chars) over (
            partition by report_id, stream_no, group_no order by element_no rows between unbounded preceding and current row
        ) as later_label_chars
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

final as (
    select
        row_labels_as_written.*,
        elements.element_start as label_start,
        elements.row_no as label_row_no
    from row_labels_as_written
    inner join elements
        on row_labels_as_written.report_id = elements.report_id
        and row_labels_as_written.stream_no = elements.stream_no
        and row_labels_as_written.label_first_element = elements.element_no
)

select * from final
