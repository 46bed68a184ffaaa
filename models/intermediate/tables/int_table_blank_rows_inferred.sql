{#-
    Table rows inferred from the labels of the matched rows (int_table_row_labels_matched): a row whose cells are all
    blank in a table printed on one line leaves only its label, which runs into the next row's label
    (二、上年结转政府信息公开申请数量三、本年度办理结果（一）予以公开...). The labels inside a matched row's label, cut at
    their enumerators, that are segment keys of the same table (seed table_row_labels) and not matched rows of the
    report themselves, are blank rows of that table.
-#}

with tabled_matches as (
    select * from {{ ref('int_table_row_labels_matched') }}
    where {{ in_reports_to_build('changed') }}
),

row_labels as (
    select * from {{ ref('table_row_labels') }}
),

layouts as (
    select table_kind, template, row_key, count(*) as expected_cells
    from {{ ref('table_layouts') }}
    group by table_kind, template, row_key
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
        {{ regexp_replace_all(
            'right(label_text, 400)', string_literal('(' ~ table_label_enumerator() ~ ')'),
            "chr(1) || " ~ string_literal(regexp_group(1))
        ) }} as marked_label
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
        {{ table_label_segment_key(
            regexp_replace_all('match_text', string_literal('^\s*(' ~ table_label_enumerator() ~ ')'), "''")
        ) }} as segment_norm
    from exploded_segments
),

final as (
    select
        inner_segments.report_id,
        inner_segments.stream_no,
        inner_segments.group_no,
        inner_segments.table_kind,
        inner_segments.template,
        row_labels.row_key,
        row_labels.label_key,
        trim(inner_segments.match_text) as row_label,
        layouts.expected_cells,
        case when inner_segments.stream_no = 0 then inner_segments.first_row_no end as start_line,
        inner_segments.start_offset
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
            select 1 from tabled_matches as matched_rows
            where matched_rows.report_id = inner_segments.report_id
                and matched_rows.table_kind = row_labels.table_kind
                and matched_rows.row_key = row_labels.row_key
        )
)

select * from final
