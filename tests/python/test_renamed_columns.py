"""Names renamed in this release (issue 19: one name per concept across the marts, booleans is_/has_) keep their
old name for one release: the old column stays beside the new one with the same values, the old table name is a
view over the new one, and each is documented as a deprecated alias so the next release can drop exactly these."""

from __future__ import annotations

from pathlib import Path

from conftest import query

MEASURES = [
    "applications_decided",
    "applications_disclosed",
    "applications_received",
    "litigation_corrected",
    "litigation_total",
    "reconsideration_corrected",
    "reconsideration_total",
]
# (schema, table, new name, deprecated alias)
RENAMED_COLUMNS = [
    ("marts", "dim_indicators", "indicator_code", "code"),
    ("marts", "dim_indicators", "is_in_legacy", "in_legacy"),
    ("marts", "dim_indicators", "is_in_format_2019", "in_format_2019"),
    ("marts", "dim_indicators", "is_in_format_2021", "in_format_2021"),
    ("marts", "dim_indicators", "is_in_prose", "in_prose"),
    ("marts", "dim_indicators", "parent_rule", "rule"),
    ("marts", "fct_indicator_values", "template_version", "template"),
    ("marts", "fct_report_sections", "start_line_no", "start_line"),
    ("marts", "fct_report_sections", "end_line_no", "end_line"),
    ("marts", "mart_region_year_summary", "error_report_count", "reports_with_errors"),
    *[("marts", "mart_region_year_summary", f"{measure}_issuer_count", f"{measure}_issuers") for measure in MEASURES],
    ("staging", "stg_report_lines", "is_text_line_end", "ends_text_line"),
]


def test_every_deprecated_column_sits_beside_its_new_name_with_the_same_values(
    quality_warehouse: tuple[Path, str],
) -> None:
    db_path, _ = quality_warehouse
    for schema, table, new, old in RENAMED_COLUMNS:
        positions = dict(
            query(
                db_path,
                f"select column_name, column_index from duckdb_columns() where schema_name = '{schema}' "
                f"and table_name = '{table}' and column_name in ('{new}', '{old}')",
            )
        )
        assert positions[old] == positions[new] + 1, (table, new, old)
        ((rows, differing),) = query(
            db_path, f'select count(*), count(*) filter (where "{new}" is distinct from "{old}") from {schema}.{table}'
        )
        assert rows > 0 and differing == 0, (table, new, old)


def test_every_deprecated_name_and_only_those_is_documented_as_such(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    documented = query(
        db_path,
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where comment like 'Deprecated alias of %' order by all",
    )
    assert documented == sorted(
        (
            schema,
            table,
            old,
            f"Deprecated alias of {new} (its name before this release), removed in the next release.",
        )
        for schema, table, new, old in RENAMED_COLUMNS
    )


def test_the_old_build_stamp_is_a_view_over_the_new_one(quality_warehouse: tuple[Path, str]) -> None:
    db_path, _ = quality_warehouse
    assert query(
        db_path,
        "select table_name, table_type from information_schema.tables "
        "where table_schema = 'marts' and table_name in ('dim_build', 'mart_build_stamp') order by 1",
    ) == [("dim_build", "VIEW"), ("mart_build_stamp", "BASE TABLE")]
    assert query(db_path, "select * from marts.dim_build") == query(db_path, "select * from marts.mart_build_stamp")
    (comment,) = query(
        db_path, "select comment from duckdb_views() where schema_name = 'marts' and view_name = 'dim_build'"
    )[0]
    assert comment.startswith("Deprecated alias of mart_build_stamp")
