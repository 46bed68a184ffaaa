"""Stand-ins for the project's dbt macros and dbt's run-time context, for sqlfluff's jinja templater (.sqlfluff).

`make lint` lints the SQL the models render to without dbt or a database: each macro of macros/ renders here to a
small expression or query of the same shape as its DuckDB version (a function call where it gives one, a select
where it gives one), and seed_rows gives two made-up rows, so every loop over a seed renders. What the macros
really render is checked by the dbt build and its tests, not here; a new macro used in a model needs a stand-in.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[2]


@cache
def _project_vars() -> dict[str, Any]:
    return yaml.safe_load((PROJECT / "dbt_project.yml").read_text(encoding="utf-8")).get("vars") or {}


def var(name: str, default: Any = None) -> Any:
    """The var of dbt_project.yml, else the default, else the name."""
    return _project_vars().get(name, name if default is None else default)


def _cell(value: str) -> Any:
    return int(value) if re.fullmatch(r"-?[0-9]{1,9}", value) else value


@cache
def _seed(seed_name: str) -> tuple[dict[str, Any], ...]:
    (path,) = PROJECT.glob(f"seeds/*/{seed_name}.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple({key: _cell(value) for key, value in row.items()} for row in csv.DictReader(handle))


def seed_rows(seed_name: str, columns: list[str], where: str | None = None, order_by: str | None = None) -> list:
    """The seed's rows from its CSV file (a `column = 'value'` or boolean-column `where` applied; no order)."""
    rows = _seed(seed_name)
    if where and (condition := re.fullmatch(r"(\w+) = '([^']*)'", where.strip())):
        rows = tuple(row for row in rows if str(row[condition[1]]) == condition[2])
    elif where and re.fullmatch(r"\w+", where.strip()):
        rows = tuple(row for row in rows if str(row[where.strip()]).lower() == "true")
    return [tuple(row[column] for column in columns) for row in rows]


def count_indicator_codes() -> list[str]:
    return ["code_1"]


def count_measures() -> list[str]:
    return ["measure_1"]


def cumulative_indicator_codes() -> list[str]:
    return ["code_2"]


def in_reports_to_build(scope: str = "changed", column: str = "report_id") -> str:
    return f"{column} in (select report_id from int_reports_{scope})"


def delete_reports_to_rebuild() -> str:
    return ""


def comment_report_indicator_columns() -> str:
    return ""


def rebuild_scope() -> str:
    return "changed"


def report_revision(relation_alias: str) -> str:
    return f"md5({relation_alias}.report_id)"


def indicator_value_type() -> str:
    return "decimal(38, 10)"


def whole_number(value: str) -> str:
    return f"cast({value} as bigint)"


def bounded_share(numerator: str, denominator: str) -> str:
    return f"({numerator} / {denominator})"


def furniture_pattern_id(column: str) -> str:
    return "cast(null as integer)"


def first_cue_capture(column: str, cue_kind: str) -> str:
    return f"regexp_extract({column}, 'cue', 1)"


def matches_any_cue(column: str, cue_kind: str) -> str:
    return f"regexp_matches({column}, 'cue')"


def prose_figure_pattern() -> str:
    return "([0-9]+)(条|件)"


def chinese_numeral_value(column: str) -> str:
    return f"try_cast({column} as integer)"


def readable_number(column: str) -> str:
    return f"cast({column} as varchar)"


def line_rank_in_paragraph(text_before: str) -> str:
    return f"length({text_before})"


def offset_in_line(text_before: str) -> str:
    return f"length({text_before})"


def without_prefix(text: str, prefix: str) -> str:
    return f"replace({text}, {prefix}, '')"


# the cross-engine macros (macros/cross_engine/), also called as zfxxgk.<name>


def explode_lines(relation: Any, key_column: str, text_column: str) -> str:
    return f"select {key_column}, 1 as line_no, {text_column} as line from {relation}"


def regexp_matches(column: str, pattern: str) -> str:
    return f"regexp_matches({column}, {pattern})"


def string_literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def trim_blanks(column: str) -> str:
    return f"trim({column})"


def regexp_replace_all(column: str, pattern: str, replacement: str) -> str:
    return f"regexp_replace({column}, {pattern}, {replacement}, 'g')"


def string_agg_ordered(expression: str, order_by: str, separator: str = "''") -> str:
    return f"string_agg({expression}, {separator} order by {order_by})"


def last_value_ignoring_nulls(expression: str) -> str:
    return f"last_value({expression} ignore nulls)"


def instant_type() -> str:
    return "timestamp with time zone"


def han_class() -> str:
    return r"\p{Han}"


def regexp_extract(column: str, pattern: str, group: int = 0) -> str:
    return f"regexp_extract({column}, {pattern}, {group})"


def explode_regexp_matches(
    relation: Any, key_columns: list[str], text_column: str, pattern: str, with_offsets: bool = True
) -> str:
    return (
        f"select {', '.join(key_columns)}, 1 as match_no, {text_column} as match_text, '' as text_before, "
        f"0 as match_offset from {relation}"
    )


def text_position(text: str, needle: str) -> str:
    return f"strpos({text}, {needle})"


def date_from_parts(year: str, month: str, day: str) -> str:
    return f"make_date({year}, {month}, {day})"


def explode_integer_range(
    relation: Any, columns: list[str], first_column: str, last_column: str, value_name: str
) -> str:
    return f"select {', '.join(columns)}, {first_column} as {value_name} from {relation}"


def regexp_group(n: int) -> str:
    return f"\\{n}"


def without_spaces_between_han(column: str) -> str:
    return f"regexp_replace({column}, '([han]) +([han])', '\\1\\2', 'g')"


# macros/table_labels.sql


def table_label_enumerator() -> str:
    return "[一二三四五六七八九十]+、"


def table_label_chars(expression: str) -> str:
    return f"regexp_replace({expression}, '[^0-9]', '', 'g')"


def table_label_segment_key(expression: str) -> str:
    return f"regexp_replace({expression}, '^其中', '', 'g')"


def table_label_last_segment_key(expression: str) -> str:
    return f"regexp_extract({expression}, '[^、]*$')"


def materialized() -> str:
    return "materialized"


zfxxgk = SimpleNamespace(
    **{
        name: function
        for name, function in dict(globals()).items()
        if callable(function) and not name.startswith("_") and name not in {"SimpleNamespace", "Any"}
    }
)
"""The project's own namespace (`zfxxgk.regexp_matches(...)` in a macro or model)."""

# dbt's run-time context
adapter = SimpleNamespace(get_relation=lambda **kwargs: None)
flags = SimpleNamespace(FULL_REFRESH=False)
run_started_at = SimpleNamespace(isoformat=lambda: "2026-01-01T00:00:00+00:00")
invocation_id = "00000000-0000-0000-0000-000000000000"
dbt_version = "1.11.0"
execute = True
