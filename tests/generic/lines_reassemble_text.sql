{#-
    Lines and their offsets describe the text exactly: each line is the text between its offsets,
    and the lines joined with LF give the whole text back. Fails per report that breaks either. Like the lines
    (macro get_where_subquery), only the texts of the reports this build rebuilt are checked.
-#}
{% test lines_reassemble_text(model, texts, key, text_column='text') %}
    with texts as (
        select {{ key }}, {{ text_column }} as text from {{ texts }}
        where {{ in_reports_to_build('changed', key) }}
    ),

    line_checks as (
        select
            lines.{{ key }},
            string_agg(lines.line, chr(10) order by lines.line_no) as reassembled,
            count_if(
                substring(texts.text, lines.start_offset + 1, lines.end_offset - lines.start_offset) <> lines.line
                or lines.end_offset - lines.start_offset <> length(lines.line)
            ) as misplaced_lines
        from {{ model }} as lines
        inner join texts on lines.{{ key }} = texts.{{ key }}
        group by lines.{{ key }}
    )

    select
        texts.{{ key }},
        line_checks.misplaced_lines,
        line_checks.reassembled is null as has_no_lines
    from texts
    left join line_checks on texts.{{ key }} = line_checks.{{ key }}
    where line_checks.reassembled is null
        or line_checks.reassembled <> texts.text
        or line_checks.misplaced_lines > 0
{% endtest %}
