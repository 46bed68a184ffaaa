{#-
    Figures tied to an indicator by the cues of seed prose_figure_cues: the figure's unit is one of the cue's
    units, the clause text before the figure matches before_pattern, the clause text after it matches
    after_pattern, and neither the cue's exclude_pattern nor a comparison (比上年增加…, text_cues
    prose_comparison) appears before it. A figure that cues of two indicators claim with the same
    specificity belongs to neither (因…申请行政复议及提起行政诉讼52件). Where cues of several codes claim a figure,
    those of a code the report's template has (indicators.formats names the template or prose) go first: 答复3050件
    is applications_answered in a legacy report and outcome_total in a 2019 or 2021 one.
    One row per figure that keeps an indicator.
-#}
-- depends_on: {{ ref('prose_figure_cues') }}
-- depends_on: {{ ref('text_cues') }}

{%- set cues = seed_rows(
    'prose_figure_cues',
    ['cue_id', 'indicator_code', 'units', 'before_pattern', 'after_pattern', 'exclude_pattern', 'specificity',
     'whole_code', 'part_of_code']
) %}

with figures as (
    select * from {{ ref('int_prose_figures_extracted') }}
    where {{ in_reports_to_build('changed') }}
        and (not {{ matches_any_cue('clause_before', 'prose_comparison') }})
),

reports as (
    select report_id, template_version from {{ ref('int_reports_described') }}
    where {{ in_reports_to_build('changed') }}
),

indicators as (
    select code, formats from {{ ref('indicators') }}
),

cue_matches as (
    {%- for cue in cues %}
    select
        report_id,
        paragraph_no,
        figure_no,
        {{ cue[0] }} as cue_id,
        {{ zfxxgk.string_literal(cue[1]) }} as indicator_code,
        {{ cue[6] }} as specificity,
        {{ zfxxgk.string_literal(cue[7]) if cue[7] else 'cast(null as string)' }} as whole_code,
        {{ zfxxgk.string_literal(cue[8]) if cue[8] else 'cast(null as string)' }} as part_of_code
    from figures
    where
        unit in ({% for unit in cue[2].split('|') %}{{ zfxxgk.string_literal(unit) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- if cue[3] %}
        and {{ zfxxgk.regexp_matches('clause_before', zfxxgk.string_literal(cue[3])) }}
        {%- endif %}
        {%- if cue[4] %}
        and {{ zfxxgk.regexp_matches('clause_after', zfxxgk.string_literal(cue[4])) }}
        {%- endif %}
        {%- if cue[5] %}
        and not {{ zfxxgk.regexp_matches('clause_before', zfxxgk.string_literal(cue[5])) }}
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- where cues of several codes claim a figure, those of a code the report's template has (or the prose gives in
-- any report) go first: 答复3050件 is applications_answered in a legacy report, outcome_total in a 2019/2021 one
cue_matches_with_fit as (
    select
        cue_matches.*,
        reports.template_version is null
        or '|' || indicators.formats || '|' like '%|prose|%'
        or '|' || indicators.formats || '|' like '%|' || reports.template_version || '|%' as fits_template
    from cue_matches
    inner join indicators on cue_matches.indicator_code = indicators.code
    left join reports on cue_matches.report_id = reports.report_id
),

cue_matches_any_fit as (
    select
        *,
        bool_or(fits_template) over (partition by report_id, paragraph_no, figure_no) as any_claim_fits
    from cue_matches_with_fit
),

cue_matches_in_template as (
    select * from cue_matches_any_fit
    where fits_template or not any_claim_fits
),

-- per figure: the most specific cue of each indicator, then the indicators at the figure's top specificity
cue_matches_ranked as (
    select
        *,
        row_number() over (
            partition by report_id, paragraph_no, figure_no, indicator_code order by specificity desc, cue_id
        ) as cue_rank
    from cue_matches_in_template
),

figure_claims as (
    select report_id, paragraph_no, figure_no, indicator_code, specificity, cue_id, whole_code, part_of_code
    from cue_matches_ranked
    where cue_rank = 1
),

ranked_claims as (
    select
        *,
        max(specificity) over (partition by report_id, paragraph_no, figure_no) as top_specificity,
        count(*) over (partition by report_id, paragraph_no, figure_no, specificity) as claims_at_specificity
    from figure_claims
),

claims_kept as (
    select
        figures.*,
        ranked_claims.indicator_code,
        ranked_claims.cue_id,
        ranked_claims.specificity,
        ranked_claims.whole_code,
        ranked_claims.part_of_code
    from ranked_claims
    inner join figures
        on ranked_claims.report_id = figures.report_id
        and ranked_claims.paragraph_no = figures.paragraph_no
        and ranked_claims.figure_no = figures.figure_no
    where
        ranked_claims.specificity = ranked_claims.top_specificity
        and ranked_claims.claims_at_specificity = 1
        -- a count is a whole number (1.8万 is; 2.5次 is not)
        and (figures.value = floor(figures.value) or figures.unit in ('万元', '元'))
),

-- parts read only as parts of a whole (其中专职1名，兼职2名 of 专兼职工作人员3名): per sentence and whole code
part_sums as (
    select report_id, paragraph_no, sentence_no, whole_code, sum(value) as parts_value, min(figure_no) as first_part
    from claims_kept
    where whole_code is not null
    group by report_id, paragraph_no, sentence_no, whole_code
),

-- a whole earlier in the sentence that the parts add up to (机关专职6人，兼职31人 of 68 by level do not)
settled_parts as (
    select part_sums.report_id, part_sums.paragraph_no, part_sums.sentence_no, part_sums.whole_code
    from part_sums
    inner join claims_kept as wholes
        on part_sums.report_id = wholes.report_id
        and part_sums.paragraph_no = wholes.paragraph_no
        and part_sums.sentence_no = wholes.sentence_no
        and part_sums.whole_code = wholes.indicator_code
        and wholes.figure_no < part_sums.first_part
    group by part_sums.report_id, part_sums.paragraph_no, part_sums.sentence_no, part_sums.whole_code
    having count(*) = 1 and max(wholes.value) = max(part_sums.parts_value)
),

-- a part read only under its headline (规范性文件83件 after 其中 of 主动公开…政府信息759件): the figure is a part
-- (after 其中) and an earlier figure of its sentence gives part_of_code
headline_parts as (
    select distinct parts.report_id, parts.paragraph_no, parts.figure_no
    from claims_kept as parts
    inner join claims_kept as headlines
        on parts.report_id = headlines.report_id
        and parts.paragraph_no = headlines.paragraph_no
        and parts.sentence_no = headlines.sentence_no
        and parts.part_of_code = headlines.indicator_code
        and headlines.figure_no < parts.figure_no
    where parts.is_part
),

final as (
    select
        {%- for column in ['report_id', 'line_no', 'paragraph_no', 'figure_no', 'figure_text', 'number_text',
            'multiplier', 'unit', 'value', 'approximation', 'is_approximate', 'clause_before', 'clause_after',
            'clause_text', 'start_offset', 'end_offset', 'clause_start_offset', 'clause_end_offset', 'sentence_no',
            'is_part', 'indicator_code', 'cue_id', 'specificity'] %}
        claims_kept.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from claims_kept
    left join settled_parts
        on claims_kept.report_id = settled_parts.report_id
        and claims_kept.paragraph_no = settled_parts.paragraph_no
        and claims_kept.sentence_no = settled_parts.sentence_no
        and claims_kept.whole_code = settled_parts.whole_code
    left join headline_parts
        on claims_kept.report_id = headline_parts.report_id
        and claims_kept.paragraph_no = headline_parts.paragraph_no
        and claims_kept.figure_no = headline_parts.figure_no
    where (claims_kept.whole_code is null or settled_parts.whole_code is not null)
        and (claims_kept.part_of_code is null or headline_parts.figure_no is not null)
)

select * from final
