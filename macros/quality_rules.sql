{#-
    The consistency rules the figures of a report obey, written once and driven by the dictionaries: the
    parent_code and rule columns of seed indicators (le: a part never exceeds its whole; sum: complete parts add
    up to the whole, incomplete parts never exceed it), the applicant columns of table 三 (the six add up to
    总计), the bounds of seed indicator_bounds
    (no negative counts; plausible magnitudes), the balances of seed indicator_balances (table 三: 一 + 二 =
    （七）总计 + 四, every column) and, across years for the same issuer, the carry-overs of seed
    indicator_carryovers (结转下年度 of t = 上年结转 of t+1) and the items of the 2019 table 二 of seed
    indicator_item_changes (上一年项目数量 + 本年增/减 of t = 上一年项目数量 of t+1).

    indicator_rule_breaks(values, rule_kinds) selects one row per broken rule from a relation shaped like
    marts.fct_indicator_values: report_id, rule, indicator_codes, applicant_type, expected_value, actual_value,
    issue_sentence, evidence, line_no, start_offset. The values are read and labelled once (rule_inputs), then
    each kind's CTEs (<kind>_breaks) read them. marts.fct_quality_issues calls it with every kind; the generic
    test indicator_rules_hold reads the breaks of one kind back from fct_quality_issues (the detected_by column
    of seed quality_rules names the kind), so the tests and the mart cannot disagree and the rules run once.

    rule_kinds: any of le, sum, applicant_columns, balance, bounds, carried_over (default: all of them).
-#}
{% macro indicator_rule_kinds() -%}
    {{ return(['le', 'sum', 'applicant_columns', 'balance', 'bounds', 'carried_over']) }}
{%- endmacro %}


{% macro indicator_rule_breaks(values, rule_kinds=none) -%}
    {%- set kinds = indicator_rule_kinds() -%}
    {%- set chosen = kinds if rule_kinds is none else rule_kinds -%}
    {%- for rule_kind in chosen if rule_kind not in kinds -%}
        {{ exceptions.raise_compiler_error("indicator_rule_breaks: rule_kind must be one of " ~ kinds | join(', ')
            ~ ", not " ~ rule_kind) }}
    {%- endfor -%}
    with
    {{ rule_inputs(values) }},
    {%- for rule_kind in chosen %}
    {{ rule_breaks_cte(rule_kind) }},
    {%- endfor %}

    rule_breaks as (
        {%- for rule_kind in chosen %}
        select * from {{ rule_kind }}_breaks
        {{- '\n        union all' if not loop.last }}
        {%- endfor %}
    )

    select
        report_id,
        rule,
        indicator_codes,
        applicant_type,
        cast(expected_value as {{ indicator_value_type() }}) as expected_value,
        cast(actual_value as {{ indicator_value_type() }}) as actual_value,
        issue_sentence,
        evidence,
        line_no,
        start_offset
    from rule_breaks
{%- endmacro %}


{#- The values (non-blank only), labelled, with the report's template; the indicator dictionary. -#}
{% macro rule_inputs(values) -%}
    reports as (
        select report_id, issuer, issuer_key, report_year, template_version
        from {{ ref('int_reports_described') }}
    ),

    indicators as (
        select * from {{ ref('indicators') }}
    ),

    given_values as (
        select
            rule_values.report_id,
            rule_values.indicator_code,
            rule_values.applicant_type,
            rule_values.value,
            rule_values.source_kind,
            rule_values.evidence,
            rule_values.line_no,
            rule_values.start_offset,
            rule_values.indicator_code || ' (' || indicators.label_zh || ')' as labelled_code,
            {{ readable_number('rule_values.value') }} as value_text,
            ' (' || rule_values.source_kind || ', line ' || cast(rule_values.line_no as varchar) || ')' as source_text
        from {{ values }} as rule_values
        inner join indicators on rule_values.indicator_code = indicators.code
        where rule_values.value is not null
    )
{%- endmacro %}


{#- The CTEs of one rule kind, ending in <kind>_breaks (rule_inputs' CTEs in scope; no two kinds share a CTE name). -#}
{% macro rule_breaks_cte(rule_kind) -%}
    {%- if rule_kind == 'le' -%}
    le_breaks as (
        select
            parts.report_id,
            'part_exceeds_whole' as rule,
            parts.indicator_code || ',' || wholes.indicator_code as indicator_codes,
            parts.applicant_type,
            wholes.value as expected_value,
            parts.value as actual_value,
            parts.labelled_code || ' [' || parts.applicant_type || '] is ' || parts.value_text || parts.source_text
            || ', more than its whole ' || wholes.labelled_code || ', ' || wholes.value_text || wholes.source_text
            || ': a part never exceeds its whole.' as issue_sentence,
            parts.evidence,
            parts.line_no,
            parts.start_offset
        from given_values as parts
        inner join indicators as part_codes on parts.indicator_code = part_codes.code and part_codes.rule = 'le'
        inner join given_values as wholes
            on parts.report_id = wholes.report_id
            and parts.applicant_type = wholes.applicant_type
            and part_codes.parent_code = wholes.indicator_code
        where parts.value > wholes.value
    )
    {%- elif rule_kind == 'sum' -%}
    sum_parts as (
        -- the parts a report's template has (legacy 行政复议 has no 尚未审结), and any part it gives anyway
        select
            wholes.report_id,
            wholes.applicant_type,
            wholes.indicator_code as whole_code,
            part_codes.code as part_code,
            parts.value as part_value
        from given_values as wholes
        inner join reports on wholes.report_id = reports.report_id
        inner join indicators as part_codes on wholes.indicator_code = part_codes.parent_code and part_codes.rule = 'sum'
        left join given_values as parts
            on wholes.report_id = parts.report_id
            and wholes.applicant_type = parts.applicant_type
            and part_codes.code = parts.indicator_code
        where parts.value is not null
            or reports.template_version is null
            or '|' || part_codes.formats || '|' like '%|' || reports.template_version || '|%'
    ),

    part_sums as (
        select
            report_id,
            applicant_type,
            whole_code,
            sum(part_value) as parts_sum,
            count(part_value) = count(*) as is_complete,
            {{ string_agg_ordered('case when part_value is not null then part_code end', 'part_code', "','") }} as given_part_codes,
            {{ string_agg_ordered(
                "part_code || ' ' || coalesce(" ~ readable_number('part_value') ~ ", 'blank')", 'part_code', "' + '"
            ) }} as parts_text
        from sum_parts
        group by report_id, applicant_type, whole_code
        having count(part_value) > 0
    ),

    sum_breaks as (
        select
            wholes.report_id,
            case when part_sums.is_complete then 'parts_differ_from_total' else 'parts_exceed_total' end as rule,
            wholes.indicator_code || ',' || part_sums.given_part_codes as indicator_codes,
            wholes.applicant_type,
            part_sums.parts_sum as expected_value,
            wholes.value as actual_value,
            'The parts of ' || wholes.labelled_code || ' [' || wholes.applicant_type || '] '
            || case when part_sums.is_complete then 'sum to ' else 'given already sum to ' end
            || {{ readable_number('part_sums.parts_sum') }}
            || case when part_sums.is_complete then ', but the total is ' else ', more than the total ' end
            || wholes.value_text || wholes.source_text || ': ' || part_sums.parts_text || '.' as issue_sentence,
            wholes.evidence,
            wholes.line_no,
            wholes.start_offset
        from part_sums
        inner join given_values as wholes
            on part_sums.report_id = wholes.report_id
            and part_sums.applicant_type = wholes.applicant_type
            and part_sums.whole_code = wholes.indicator_code
        where (part_sums.is_complete and part_sums.parts_sum <> wholes.value)
            or (not part_sums.is_complete and part_sums.parts_sum > wholes.value)
    )
    {%- elif rule_kind == 'applicant_columns' -%}
    applicant_types as (
        select distinct applicant_type from {{ ref('table_layouts') }}
        where applicant_type <> 'total'
    ),

    column_sums as (
        select
            given_values.report_id,
            given_values.indicator_code,
            sum(given_values.value) as columns_sum,
            count(*) = (select count(*) from applicant_types) as is_complete,
            {{ string_agg_ordered(
                "given_values.applicant_type || ' ' || given_values.value_text", 'given_values.applicant_type', "' + '"
            ) }} as columns_text
        from given_values
        inner join applicant_types on given_values.applicant_type = applicant_types.applicant_type
        group by given_values.report_id, given_values.indicator_code
    ),

    applicant_columns_breaks as (
        select
            totals.report_id,
            case
                when column_sums.is_complete then 'applicant_columns_differ_from_total'
                else 'applicant_columns_exceed_total'
            end as rule,
            totals.indicator_code as indicator_codes,
            totals.applicant_type,
            column_sums.columns_sum as expected_value,
            totals.value as actual_value,
            'The applicant columns of ' || totals.labelled_code || ' '
            || case when column_sums.is_complete then 'sum to ' else 'given already sum to ' end
            || {{ readable_number('column_sums.columns_sum') }}
            || case when column_sums.is_complete then ', but its 总计 column is ' else ', more than its 总计 column ' end
            || totals.value_text || totals.source_text || ': ' || column_sums.columns_text || '.' as issue_sentence,
            totals.evidence,
            totals.line_no,
            totals.start_offset
        from column_sums
        inner join given_values as totals
            on column_sums.report_id = totals.report_id
            and column_sums.indicator_code = totals.indicator_code
            and totals.applicant_type = 'total'
        where (column_sums.is_complete and column_sums.columns_sum <> totals.value)
            or (not column_sums.is_complete and column_sums.columns_sum > totals.value)
    )
    {%- elif rule_kind == 'balance' -%}
    balance_codes as (
        select * from {{ ref('indicator_balances') }}
    ),

    balance_sides as (
        select
            given_values.report_id,
            given_values.applicant_type,
            balance_codes.balance,
            balance_codes.side,
            sum(given_values.value) as side_sum,
            count(*) as side_values,
            {{ string_agg_ordered(
                "balance_codes.short_label || ' ' || given_values.value_text", 'balance_codes.position', "' + '"
            ) }} as side_text,
            min_by(given_values.evidence, balance_codes.position) as evidence,
            min_by(given_values.line_no, balance_codes.position) as line_no,
            min_by(given_values.start_offset, balance_codes.position) as start_offset,
            min_by(given_values.source_text, balance_codes.position) as source_text
        from given_values
        inner join balance_codes on given_values.indicator_code = balance_codes.indicator_code
        group by given_values.report_id, given_values.applicant_type, balance_codes.balance, balance_codes.side
    ),

    side_sizes as (
        select balance, side, count(*) as side_codes,
            {{ string_agg_ordered('indicator_code', 'position', "','") }} as side_code_list
        from balance_codes
        group by balance, side
    ),

    balance_breaks as (
        select
            inflows.report_id,
            inflows.balance || '_out_of_balance' as rule,
            in_sizes.side_code_list || ',' || out_sizes.side_code_list as indicator_codes,
            inflows.applicant_type,
            inflows.side_sum as expected_value,
            outflows.side_sum as actual_value,
            '[' || inflows.applicant_type || '] ' || inflows.side_text || ' = ' || {{ readable_number('inflows.side_sum') }}
            || ', but ' || outflows.side_text || ' = ' || {{ readable_number('outflows.side_sum') }}
            || outflows.source_text || ': what comes in is decided or carried over.' as issue_sentence,
            outflows.evidence,
            outflows.line_no,
            outflows.start_offset
        from balance_sides as inflows
        inner join side_sizes as in_sizes
            on inflows.balance = in_sizes.balance and inflows.side = in_sizes.side
            and inflows.side_values = in_sizes.side_codes
        inner join balance_sides as outflows
            on inflows.report_id = outflows.report_id
            and inflows.applicant_type = outflows.applicant_type
            and inflows.balance = outflows.balance
            and outflows.side = 'out'
        inner join side_sizes as out_sizes
            on outflows.balance = out_sizes.balance and outflows.side = out_sizes.side
            and outflows.side_values = out_sizes.side_codes
        where inflows.side = 'in' and inflows.side_sum <> outflows.side_sum
    )
    {%- elif rule_kind == 'bounds' -%}
    bounds as (
        select * from {{ ref('indicator_bounds') }}
    ),

    bounds_breaks as (
        select
            given_values.report_id,
            case
                when given_values.value < 0 and bounds.min_value >= 0 then 'negative_count'
                else 'implausible_magnitude'
            end as rule,
            given_values.indicator_code as indicator_codes,
            given_values.applicant_type,
            case
                when given_values.value < bounds.min_value then bounds.min_value else bounds.max_value
            end as expected_value,
            given_values.value as actual_value,
            given_values.labelled_code || ' [' || given_values.applicant_type || '] is ' || given_values.value_text
            || given_values.source_text
            || case
                when given_values.value < 0 and bounds.min_value >= 0 then ': a count is never negative.'
                when given_values.value < bounds.min_value
                    then ', below the plausible minimum ' || {{ readable_number('bounds.min_value') }}
                    || ' (seed indicator_bounds): probably misread.'
                else ', above the plausible maximum ' || {{ readable_number('bounds.max_value') }}
                    || ' (seed indicator_bounds): probably misread.'
            end as issue_sentence,
            given_values.evidence,
            given_values.line_no,
            given_values.start_offset
        from given_values
        inner join bounds on given_values.indicator_code = bounds.code
        where given_values.value < bounds.min_value or given_values.value > bounds.max_value
    )
    {%- elif rule_kind == 'carried_over' -%}
    carryovers as (
        select * from {{ ref('indicator_carryovers') }}
    ),

    issuer_values as (
        select
            given_values.*,
            reports.issuer,
            reports.issuer_key,
            reports.report_year
        from given_values
        inner join reports on given_values.report_id = reports.report_id
        where reports.issuer_key is not null and reports.report_year is not null
    ),

    carryover_breaks as (
        select
            carried_in.report_id,
            'carried_over_mismatch' as rule,
            carried_in.indicator_code || ',' || carried_out.indicator_code as indicator_codes,
            carried_in.applicant_type,
            carried_out.value as expected_value,
            carried_in.value as actual_value,
            carried_in.labelled_code || ' [' || carried_in.applicant_type || '] is ' || carried_in.value_text
            || carried_in.source_text || ' in ' || cast(carried_in.report_year as varchar) || ', but the '
            || cast(carried_out.report_year as varchar) || ' report of ' || carried_out.issuer || ' gives '
            || carried_out.labelled_code || ' ' || carried_out.value_text || carried_out.source_text || '.'
                as issue_sentence,
            carried_in.evidence,
            carried_in.line_no,
            carried_in.start_offset
        from carryovers
        inner join issuer_values as carried_in on carryovers.carried_in_code = carried_in.indicator_code
        inner join issuer_values as carried_out
            on carryovers.carried_out_code = carried_out.indicator_code
            and carried_in.issuer_key = carried_out.issuer_key
            and carried_in.report_year = carried_out.report_year + 1
            and carried_in.applicant_type = carried_out.applicant_type
        where carried_in.value <> carried_out.value
    ),

    item_changes as (
        select * from {{ ref('indicator_item_changes') }}
    ),

    -- 上一年项目数量 + 本年增/减 of year t: the items the issuer's report for t+1 should start from
    items_after_change as (
        select
            last_year.report_id,
            last_year.issuer,
            last_year.issuer_key,
            last_year.report_year,
            last_year.applicant_type,
            last_year.indicator_code as items_code,
            last_year.value + changes.value as items_after,
            last_year.labelled_code || ' ' || last_year.value_text || last_year.source_text || ' + '
            || changes.labelled_code || ' ' || changes.value_text || changes.source_text as items_after_text
        from item_changes
        inner join issuer_values as last_year on item_changes.items_code = last_year.indicator_code
        inner join issuer_values as changes
            on item_changes.change_code = changes.indicator_code
            and last_year.report_id = changes.report_id
            and last_year.applicant_type = changes.applicant_type
    ),

    item_change_breaks as (
        select
            next_year.report_id,
            'items_carried_over_mismatch' as rule,
            next_year.indicator_code as indicator_codes,
            next_year.applicant_type,
            items_after_change.items_after as expected_value,
            next_year.value as actual_value,
            next_year.labelled_code || ' [' || next_year.applicant_type || '] is ' || next_year.value_text
            || next_year.source_text || ' in ' || cast(next_year.report_year as varchar) || ', but the '
            || cast(items_after_change.report_year as varchar) || ' report of ' || items_after_change.issuer
            || ' gives ' || items_after_change.items_after_text || ' = '
            || {{ readable_number('items_after_change.items_after') }} || '.' as issue_sentence,
            next_year.evidence,
            next_year.line_no,
            next_year.start_offset
        from items_after_change
        inner join issuer_values as next_year
            on items_after_change.items_code = next_year.indicator_code
            and items_after_change.issuer_key = next_year.issuer_key
            and next_year.report_year = items_after_change.report_year + 1
            and items_after_change.applicant_type = next_year.applicant_type
        where next_year.value <> items_after_change.items_after
    ),

    carried_over_breaks as (
        select * from carryover_breaks
        union all
        select * from item_change_breaks
    )
    {%- endif -%}
{%- endmacro %}
