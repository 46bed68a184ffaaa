{#-
    The regular expression of a figure in prose, built from the seeds when a model compiles (the model must
    declare `-- depends_on:` the units and figure_qualifiers seeds). Groups:
      1 qualifier before the number (约, 近, 逾 …)     2 the number (Arabic or Chinese numerals)
      3 multiplier (万, 亿)                           4 qualifier before the unit (余, 多)
      5 unit (条, 件, 人次, 万元 …)                    6 qualifier after the unit (左右, 上下, 以上)
    Longer alternatives come first, so 人次 is not read as 人 and 将近 not as 近. Spaces may stand between the
    parts (PDF text layers print 主动公开政府信息 1136 条).
-#}
{% macro prose_figure_pattern() -%}
    {%- set units = seed_rows('units', ['unit']) | map(attribute=0) | list -%}
    {%- set qualifiers = seed_rows('figure_qualifiers', ['position', 'qualifier']) -%}
    {%- set ns = namespace(by_position={'before_number': [], 'before_unit': [], 'after_unit': []}) -%}
    {%- for row in qualifiers -%}
        {%- do ns.by_position[row[0]].append(row[1]) -%}
    {%- endfor -%}
    {%- set number = '[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+' -%}
    {{- return(
        '(?:(' ~ _longest_first(ns.by_position['before_number']) ~ ')\\s*)?'
        ~ '(' ~ number ~ ')\\s*'
        ~ '(?:(万|亿)\\s*)?'
        ~ '(?:(' ~ _longest_first(ns.by_position['before_unit']) ~ ')\\s*)?'
        ~ '(' ~ _longest_first(units) ~ ')'
        ~ '(?:\\s*(' ~ _longest_first(ns.by_position['after_unit']) ~ '))?'
    ) -}}
{%- endmacro %}


{#- Alternatives of a regex group, longest first (none gives a group that never matches). -#}
{% macro _longest_first(words) -%}
    {%- set sorted_words = [] -%}
    {%- for length in range(12, 0, -1) -%}
        {%- for word in words | unique if word | length == length -%}
            {%- do sorted_words.append(word) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(sorted_words | join('|') if sorted_words else '\\x{FFFF}') -}}
{%- endmacro %}


{#-
    The value of a number written in Chinese numerals up to 9999 (两期 = 2, 二十家 = 20, 十二 = 12,
    一百零五 = 105, 一千二百三十 = 1230, 百余 = 100), else null. Digit strings such as 二〇一三 and the
    colloquial 一百二 (120 or 102?) give null: a wrong number is worse than none.
-#}
{% macro chinese_numeral_value(column) -%}
    {%- set digit = '[一二两三四五六七八九]' -%}
    {%- set shape = '^(?:(' ~ digit ~ ')?千)?(?:(' ~ digit ~ ')?百)?(?:零|〇)?(?:(' ~ digit ~ ')?(十))?(' ~ digit ~ ')?$' -%}
    {%- set pattern = zfxxgk.string_literal(shape) -%}
    case
        when {{ column }} in ('零', '〇') then 0
        when {{ zfxxgk.regexp_matches(column, pattern) }}
            and not {{ zfxxgk.regexp_matches(column, zfxxgk.string_literal('[百千]' ~ digit ~ '$')) }}
            and not {{ zfxxgk.regexp_matches(column, zfxxgk.string_literal('^[零〇]')) }}
        then
            case when {{ zfxxgk.regexp_matches(column, "'千'") }}
                then coalesce({{ _chinese_digit(zfxxgk.regexp_extract(column, pattern, 1)) }}, 1) * 1000 else 0 end
            + case when {{ zfxxgk.regexp_matches(column, "'百'") }}
                then coalesce({{ _chinese_digit(zfxxgk.regexp_extract(column, pattern, 2)) }}, 1) * 100 else 0 end
            + case when {{ zfxxgk.regexp_matches(column, "'十'") }}
                then coalesce({{ _chinese_digit(zfxxgk.regexp_extract(column, pattern, 3)) }}, 1) * 10 else 0 end
            + coalesce({{ _chinese_digit(zfxxgk.regexp_extract(column, pattern, 5)) }}, 0)
    end
{%- endmacro %}


{#- One Chinese digit character as an integer ('' gives null). -#}
{% macro _chinese_digit(expression) -%}
    try_cast(nullif(translate({{ expression }}, '〇零一二两三四五六七八九', '001223456789'), '') as integer)
{%- endmacro %}


{#- A decimal as people write it: 7000 rather than 7000.0000, 1.5 rather than 1.5000. -#}
{% macro readable_number(column) -%}
    case
        when {{ column }} = floor({{ column }}) then cast(cast({{ column }} as bigint) as string)
        else cast(cast({{ column }} as double) as string)
    end
{%- endmacro %}


{#-
    A position in a paragraph (int_prose_paragraphs_assembled), given the paragraph text before it: the rank of
    the line it falls on (1 + the line breaks before it) and its character offset within that line.
-#}
{% macro line_rank_in_paragraph(text_before) -%}
    1 + length({{ text_before }}) - length(replace({{ text_before }}, chr(10), ''))
{%- endmacro %}

{#- \z, not $: Java's $ also matches before a line break that ends the text (RE2's only at the very end). -#}
{% macro offset_in_line(text_before) -%}
    length({{ zfxxgk.regexp_extract(text_before, "'[^\\n]*\\z'") }})
{%- endmacro %}
