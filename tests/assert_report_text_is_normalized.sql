-- Normalized text has no carriage returns, zero-width or bidi characters, C0 controls other than
-- tab and LF, full-width ASCII or ideographic spaces: ingest folded all of them.
{%- set control_characters %}'[\r\x{0}-\x{8}\x{B}-\x{1F}\x{200B}-\x{200F}\x{FEFF}\x{FF01}-\x{FF5E}\x{3000}]'{% endset %}
select
    report_id,
    source_path
from {{ ref('stg_reports') }}
where {{ regexp_matches('text', control_characters) }}
