{#-
    The table rows of each report: the row groups whose label (int_table_row_labels_normalized) is a row of the seed
    table_row_labels, the best label key of each (the longest; keys with a context_row_key only under that row, as
    其他情形数 under 行政复议数量 or 行政诉讼数量), in tables with at least min_matched_rows rows (seed table_kinds).
-#}

with normalized_groups as (
    select * from {{ ref('int_table_row_labels_normalized') }}
    where {{ in_reports_to_build('changed') }}
),

report_templates as (
    select * from {{ ref('int_table_templates_detected') }}
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

units as (
    select unit from {{ ref('units') }}
),

-- Label keys each group's label matches (segment: equal to the text after the last enumerator; suffix: the end).
label_matches as (
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        cast(null as string) as glued_unit
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
    -- a legacy label printed on its own line under a heading line with no values, by its last line
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        cast(null as string) as glued_unit
    from normalized_groups
    inner join row_labels
        on normalized_groups.last_line_norm = row_labels.label_key
        and row_labels.match_mode = 'segment'
        and row_labels.template = 'legacy'
    union all
    select
        normalized_groups.report_id,
        normalized_groups.stream_no,
        normalized_groups.group_no,
        normalized_groups.label_version,
        row_labels.label_id,
        cast(null as string) as glued_unit
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
        {{ last_value_ignoring_nulls('anchor_matches.anchor_key') }} over (
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

final as (
    select
        best_matches.report_id,
        best_matches.stream_no,
        best_matches.group_no,
        best_matches.table_kind,
        case when best_matches.label_template = 'legacy' then 'legacy' else best_matches.modern_template end
            as template,
        best_matches.modern_template,
        best_matches.row_key,
        best_matches.label_key,
        best_matches.glued_unit,
        best_matches.label_version,
        best_matches.label_wrapped,
        best_matches.label_text,
        best_matches.label_norm,
        best_matches.value_count,
        best_matches.printed_unit,
        best_matches.first_row_no,
        best_matches.last_row_no,
        best_matches.start_offset,
        best_matches.end_offset,
        best_matches.wrap_start_offset,
        best_matches.wrap_first_row
    from best_matches
    inner join table_row_counts
        on best_matches.report_id = table_row_counts.report_id
        and best_matches.table_kind = table_row_counts.table_kind
    inner join table_kinds on best_matches.table_kind = table_kinds.table_kind
    where table_row_counts.matched_rows >= table_kinds.min_matched_rows
)

select * from final
