{#-
    How a table row label is normalized before it is compared with the label keys of seed table_row_labels
    (int_table_row_labels_normalized, int_table_blank_rows_inferred, int_table_printed_labels_recovered):
    defined once here so that every way of matching a label reads it the same way.
-#}

{#- The enumerators that start a row label: 一、 （一） (一) 1. 1． 1、 -#}
{% macro table_label_enumerator() -%}
    {{ return("[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|[0-9][.．、]") }}
{%- endmacro %}

{#- The label's Han characters and digits alone (spaces, punctuation, letters and enumerator marks dropped). -#}
{% macro table_label_chars(expression) -%}
    {{ regexp_replace_all(expression, "'[^" ~ han_class() ~ "0-9]'", "''") }}
{%- endmacro %}

{#- A label segment as a label key: its Han characters and digits, without a leading 其中. -#}
{% macro table_label_segment_key(expression) -%}
    {{ regexp_replace_all(table_label_chars(expression), "'^其中'", "''") }}
{%- endmacro %}

{#- The text after the label's last enumerator as a label key ((三)不予公开 1.属于国家秘密 -> 属于国家秘密). -#}
{% macro table_label_last_segment_key(expression) -%}
    {{ table_label_segment_key(
        "regexp_extract("
        ~ regexp_replace_all(expression, string_literal('(' ~ table_label_enumerator() ~ ')'), "chr(1)")
        ~ ", '[^\x01]*$', 0)"
    ) }}
{%- endmacro %}
