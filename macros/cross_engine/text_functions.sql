{#-
    Engine-specific SQL lives here, behind adapter.dispatch, so the models can run on DuckDB today
    and on Spark (dbt-spark) later. default__ is DuckDB; spark__ is written for Spark SQL.
-#}

{#- One row per line of a text column: the key, line_no (1-based) and the line without its LF. -#}
{% macro explode_lines(relation, key_column, text_column) -%}
    {{ return(adapter.dispatch('explode_lines', 'zfxxgk')(relation, key_column, text_column)) }}
{%- endmacro %}

{% macro default__explode_lines(relation, key_column, text_column) -%}
    select
        {{ key_column }},
        unnest(range(1, len(string_split({{ text_column }}, chr(10))) + 1)) as line_no,
        unnest(string_split({{ text_column }}, chr(10))) as line
    from {{ relation }}
{%- endmacro %}

{% macro spark__explode_lines(relation, key_column, text_column) -%}
    select
        {{ key_column }},
        exploded.position + 1 as line_no,
        exploded.line
    from {{ relation }}
    lateral view posexplode(split({{ text_column }}, '\n', -1)) exploded as position, line
{%- endmacro %}


{#- True when the column matches the regular expression (RE2 on DuckDB, Java on Spark) anywhere. -#}
{% macro regexp_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'zfxxgk')(column, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(column, pattern) -%}
    regexp_matches({{ column }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_matches(column, pattern) -%}
    ({{ column }} rlike {{ pattern }})
{%- endmacro %}


{#-
    A Python string as an SQL string literal. Backslashes are literal on both engines (the spark target sets
    spark.sql.parser.escapedStringLiterals, so a model's '\s' is the same regular expression on both). Spark then has
    no escape for a quote inside '...': a value with a quote is written between double quotes, or, holding both
    kinds, as pieces joined with chr(39).
-#}
{% macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal', 'zfxxgk')(value)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    {%- if "'" not in value -%}
        '{{ value }}'
    {%- elif '"' not in value -%}
        "{{ value }}"
    {%- else -%}
        ('{{ value.split("'") | join("' || chr(39) || '") }}')
    {%- endif -%}
{%- endmacro %}


{#- The column without leading and trailing spaces and tabs. -#}
{% macro trim_blanks(column) -%}
    {{ return(adapter.dispatch('trim_blanks', 'zfxxgk')(column)) }}
{%- endmacro %}

{% macro default__trim_blanks(column) -%}
    trim({{ column }}, ' ' || chr(9))
{%- endmacro %}

{% macro spark__trim_blanks(column) -%}
    trim(both ' ' || chr(9) from {{ column }})
{%- endmacro %}


{#- Every match of the pattern replaced (DuckDB needs the 'g' flag; Spark replaces all by default). -#}
{% macro regexp_replace_all(column, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'zfxxgk')(column, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#- Strings of a group concatenated in the order of another column (an aggregate). -#}
{% macro string_agg_ordered(expression, order_by, separator="''") -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'zfxxgk')(expression, order_by, separator)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, order_by, separator) -%}
    string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{#- as string_agg: null items left out, null when there is none (collect_list skips a null struct, not a null item) -#}
{% macro spark__string_agg_ordered(expression, order_by, separator) -%}
    case when count({{ expression }}) > 0 then array_join(transform(
        array_sort(collect_list(
            case when ({{ expression }}) is not null then named_struct('sort_key', {{ order_by }}, 'item', {{ expression }}) end
        )),
        pair -> pair.item
    ), {{ separator }}) end
{%- endmacro %}


{#- The regular-expression class of Han characters, for use inside [...] (RE2: \p{Han}; Java: \p{IsHan}). -#}
{% macro han_class() -%}
    {{ return(adapter.dispatch('han_class', 'zfxxgk')()) }}
{%- endmacro %}

{% macro default__han_class() -%}
    \p{Han}
{%- endmacro %}

{% macro spark__han_class() -%}
    \p{IsHan}
{%- endmacro %}


{#- The first match of the pattern (or of its capture group `group`), '' when there is none (both engines). -#}
{% macro regexp_extract(column, pattern, group=0) -%}
    {{ return(adapter.dispatch('regexp_extract', 'zfxxgk')(column, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_extract(column, pattern, group=0) -%}
    regexp_extract({{ column }}, {{ pattern }}, {{ group }})
{%- endmacro %}

{% macro spark__regexp_extract(column, pattern, group=0) -%}
    regexp_extract({{ column }}, {{ pattern }}, {{ group }})
{%- endmacro %}


{#-
    One row per non-overlapping match of the pattern in a text column: the key columns, match_no
    (1-based), match_text, match_offset (0-based character offset of the match in the column) and
    text_before (the text between the previous match, or the start, and this one).
    The pattern must not match the empty string. Offsets come from the pieces between the matches
    (regex split), summed with a window, so the cost is linear in the number of matches.
    with_offsets=false gives key columns, match_no and match_text only (no split, no window: for patterns whose
    matches cover the text, whose offsets the caller sums itself).
-#}
{% macro explode_regexp_matches(relation, key_columns, text_column, pattern, with_offsets=true) -%}
    {{ return(adapter.dispatch('explode_regexp_matches', 'zfxxgk')(relation, key_columns, text_column, pattern, with_offsets)) }}
{%- endmacro %}

{% macro default__explode_regexp_matches(relation, key_columns, text_column, pattern, with_offsets=true) -%}
    {%- if not with_offsets %}
    select
        {{ key_columns | join(', ') }},
        unnest(generate_series(1, len(regex_matches))) as match_no,
        unnest(regex_matches) as match_text
    from (
        select {{ key_columns | join(', ') }}, regexp_extract_all({{ text_column }}, {{ pattern }}) as regex_matches
        from {{ relation }}
    ) as matched_texts
    {%- else %}
    select
        {{ key_columns | join(', ') }},
        match_no,
        match_text,
        piece as text_before,
        cast(sum(length(piece) + length(match_text)) over (
            partition by {{ key_columns | join(', ') }} order by match_no rows between unbounded preceding and current row
        ) - length(match_text) as bigint) as match_offset
    from (
        select
            {{ key_columns | join(', ') }},
            unnest(range(1, len(matches) + 1)) as match_no,
            unnest(matches) as match_text,
            unnest(pieces[1:len(matches)]) as piece
        from (
            select
                {{ key_columns | join(', ') }},
                regexp_extract_all({{ text_column }}, {{ pattern }}) as matches,
                regexp_split_to_array({{ text_column }}, {{ pattern }}) as pieces
            from {{ relation }}
        ) as split_texts
        where len(matches) > 0
    ) as exploded_matches
    {%- endif %}
{%- endmacro %}

{% macro spark__explode_regexp_matches(relation, key_columns, text_column, pattern, with_offsets=true) -%}
    {%- if not with_offsets %}
    select
        {{ key_columns | join(', ') }},
        exploded.position + 1 as match_no,
        exploded.match_text
    from {{ relation }}
    lateral view posexplode(regexp_extract_all({{ text_column }}, {{ pattern }}, 0)) exploded as position, match_text
    {%- else %}
    select
        {{ key_columns | join(', ') }},
        match_no,
        match_text,
        piece as text_before,
        cast(sum(length(piece) + length(match_text)) over (
            partition by {{ key_columns | join(', ') }} order by match_no rows between unbounded preceding and current row
        ) - length(match_text) as bigint) as match_offset
    from (
        select
            {{ key_columns | join(', ') }},
            exploded.position + 1 as match_no,
            exploded.pair.matches as match_text,
            exploded.pair.pieces_before as piece
        from (
            select
                {{ key_columns | join(', ') }},
                matches,
                slice(pieces, 1, size(matches)) as pieces_before
            from (
                select
                    {{ key_columns | join(', ') }},
                    regexp_extract_all({{ text_column }}, {{ pattern }}, 0) as matches,
                    split({{ text_column }}, {{ pattern }}, -1) as pieces
                from {{ relation }}
            ) as split_texts
            where size(matches) > 0
        ) as paired_texts
        lateral view posexplode(arrays_zip(matches, pieces_before)) exploded as position, pair
    ) as exploded_matches
    {%- endif %}
{%- endmacro %}


{#- 1-based position of the first occurrence of needle in text, 0 when it does not occur. -#}
{% macro text_position(text, needle) -%}
    {{ return(adapter.dispatch('text_position', 'zfxxgk')(text, needle)) }}
{%- endmacro %}

{% macro default__text_position(text, needle) -%}
    strpos({{ text }}, {{ needle }})
{%- endmacro %}

{% macro spark__text_position(text, needle) -%}
    instr({{ text }}, {{ needle }})
{%- endmacro %}


{#- Date from year, month and day integers (null when they make no date). -#}
{% macro date_from_parts(year, month, day) -%}
    {{ return(adapter.dispatch('date_from_parts', 'zfxxgk')(year, month, day)) }}
{%- endmacro %}

{% macro default__date_from_parts(year, month, day) -%}
    try_cast(printf('%04d-%02d-%02d', {{ year }}, {{ month }}, {{ day }}) as date)
{%- endmacro %}

{% macro spark__date_from_parts(year, month, day) -%}
    make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}


{#- The text without a leading prefix (淮安市洪泽区人民政府 without 淮安市), unless that would leave nothing. -#}
{% macro without_prefix(text, prefix) -%}
    case
        when left({{ text }}, length({{ prefix }})) = {{ prefix }} and length({{ text }}) > length({{ prefix }})
            then substr({{ text }}, length({{ prefix }}) + 1)
        else {{ text }}
    end
{%- endmacro %}


{#- One row per integer from first_column to last_column (both included) of each row: the columns, and the integer as value_name. -#}
{% macro explode_integer_range(relation, columns, first_column, last_column, value_name) -%}
    {{ return(adapter.dispatch('explode_integer_range', 'zfxxgk')(relation, columns, first_column, last_column, value_name)) }}
{%- endmacro %}

{% macro default__explode_integer_range(relation, columns, first_column, last_column, value_name) -%}
    select
        {{ columns | join(', ') }},
        unnest(range({{ first_column }}, {{ last_column }} + 1)) as {{ value_name }}
    from {{ relation }}
{%- endmacro %}

{% macro spark__explode_integer_range(relation, columns, first_column, last_column, value_name) -%}
    select
        {{ columns | join(', ') }},
        exploded.{{ value_name }}
    from {{ relation }}
    lateral view explode(sequence({{ first_column }}, {{ last_column }})) exploded as {{ value_name }}
{%- endmacro %}


{#- A reference to capture group n in the replacement of regexp_replace_all (RE2: \1; Java: $1). -#}
{% macro regexp_group(n) -%}
    {{ return(adapter.dispatch('regexp_group', 'zfxxgk')(n)) }}
{%- endmacro %}

{% macro default__regexp_group(n) -%}
    \{{ n }}
{%- endmacro %}

{% macro spark__regexp_group(n) -%}
    ${{ n }}
{%- endmacro %}


{#-
    The column with the spaces between two Han characters removed (尚未 审结 总 计 -> 尚未审结总计), the spaces
    between digits, latin letters, or a Han character and a digit kept: a PDF's text layer puts spaces between
    characters it lays out apart. Two passes, as a match takes the character after its spaces with it.
-#}
{% macro without_spaces_between_han(column) -%}
    {%- set pattern = string_literal('([' ~ han_class() ~ ']) +([' ~ han_class() ~ '])') -%}
    {%- set replacement = string_literal(regexp_group(1) ~ regexp_group(2)) -%}
    {{- regexp_replace_all(regexp_replace_all(column, pattern, replacement), pattern, replacement) -}}
{%- endmacro %}


{#- The last non-null value of the window frame (a window function: `{{ last_value_ignoring_nulls('x') }} over (...)`). -#}
{% macro last_value_ignoring_nulls(expression) -%}
    {{ return(adapter.dispatch('last_value_ignoring_nulls', 'zfxxgk')(expression)) }}
{%- endmacro %}

{% macro default__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }}, true)
{%- endmacro %}


{#- The type of an instant (a timestamp with its time zone: DuckDB's timestamptz, Spark's timestamp). -#}
{% macro instant_type() -%}
    {{ return(adapter.dispatch('instant_type', 'zfxxgk')()) }}
{%- endmacro %}

{% macro default__instant_type() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__instant_type() -%}
    timestamp
{%- endmacro %}
