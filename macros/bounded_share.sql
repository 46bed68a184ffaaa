{#-
    numerator / denominator as a share: null when either is null, when the denominator is 0 (or less), or when the
    share would fall outside 0..1 (a share above 1 is not a share: the report breaks its own arithmetic).
-#}
{% macro bounded_share(numerator, denominator) -%}
    case
        when {{ denominator }} > 0 and {{ numerator }} >= 0 and {{ numerator }} <= {{ denominator }}
            then cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}
