{#-
    Lines and their offsets describe the text exactly: the lines joined with LF (none after a row whose
    ends_column is false: a piece of a cut line runs on in the next row) give the whole text back, the first line
    starts at 0, each line's offsets span its length, and each line starts where the one before ends (one past it
    after an LF). So each line is the text between its offsets. Fails per report that breaks any of these.
    Linear in the text's size: no substring of the whole text per line. Like the lines
    (macro get_where_subquery), only the texts of the reports this build rebuilt are checked.
-#}
{% test lines_reassemble_text(model, texts, key, text_column='text', ends_column='is_text_line_end') %}
    with texts as (
        select {{ key }}, {{ text_column }} as text from {{ texts }}
        where {{ in_reports_to_build('changed', key) }}
    ),

    lines as (
        select
            {{ key }},
            line_no,
            line,
            start_offset,
            end_offset,
            {{ ends_column }} as is_text_line_end,
            lag(end_offset + case when {{ ends_column }} then 1 else 0 end, 1, 0) over (
                partition by {{ key }} order by line_no
            ) as expected_start_offset
        from {{ model }}
    ),

    line_checks as (
        select
            {{ key }},
            {{ string_agg_ordered("line || case when is_text_line_end then chr(10) else '' end", 'line_no') }}
                as reassembled,
            count_if(
                start_offset <> expected_start_offset
                or end_offset - start_offset <> length(line)
            ) as misplaced_lines
        from lines
        group by {{ key }}
    )

    select
        texts.{{ key }},
        line_checks.misplaced_lines,
        line_checks.reassembled is null as has_no_lines
    from texts
    left join line_checks on texts.{{ key }} = line_checks.{{ key }}
    where line_checks.reassembled is null
        or line_checks.reassembled <> texts.text || chr(10)
        or line_checks.misplaced_lines > 0
{% endtest %}
