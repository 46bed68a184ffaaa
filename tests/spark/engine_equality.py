"""Compare the marts a Spark build wrote (Parquet files of its warehouse folder) with a DuckDB warehouse's, row for row.

Each engine writes its own types (DuckDB DECIMAL(18,4) may be Spark's decimal(38,4), a list is an array), so each
value is compared in a canonical form: numbers as DECIMAL(38,6), timestamps as UTC text, lists and structs as JSON,
everything else as text. Build stamps (the build's id and times) are left out: they differ by design.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

BUILD_STAMP_COLUMNS = frozenset({"build_id", "built_at", "loaded_at", "built_by", "dbt_version", "duckdb_version"})
"""Columns that say which build wrote a row rather than what the reports hold."""

NUMERIC_PREFIXES = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")


@dataclass(frozen=True)
class MartDifference:
    table: str
    columns_only_in_duckdb: list[str]
    columns_only_in_spark: list[str]
    rows_only_in_duckdb: list[tuple]
    rows_only_in_spark: list[tuple]

    @property
    def is_equal(self) -> bool:
        differences = (self.columns_only_in_duckdb, self.columns_only_in_spark)
        return not any(differences) and not (self.rows_only_in_duckdb or self.rows_only_in_spark)


def spark_table_files(spark_warehouse: Path, schema: str, table: str) -> str:
    """The Parquet files of a Spark managed table (spark.sql.warehouse.dir/<schema>.db/<table>/)."""
    return str(spark_warehouse / f"{schema}.db" / table / "**" / "*.parquet")


def _canonical(column: str, data_type: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    if data_type.startswith(NUMERIC_PREFIXES):
        return f"cast({quoted} as decimal(38, 6))"
    if data_type.startswith("TIMESTAMP"):
        return f"strftime(cast({quoted} as timestamp), '%Y-%m-%d %H:%M:%S.%f')"
    if data_type.endswith("[]") or data_type.startswith(("STRUCT", "MAP")):
        return f"cast(to_json({quoted}) as varchar)"
    return f"cast({quoted} as varchar)"


def compare_mart(duckdb_file: Path, spark_warehouse: Path, table: str, schema: str = "marts") -> MartDifference:
    """The columns and rows of `schema.table` that only one engine holds (at most 20 rows each way)."""
    con = duckdb.connect()
    try:
        con.execute("set timezone = 'UTC'")
        con.execute(f"attach '{duckdb_file}' as duck (read_only)")
        files = spark_table_files(spark_warehouse, schema, table)
        con.execute(f"create view spark_side as select * from read_parquet('{files}', hive_partitioning = false)")
        duck_types = dict(
            con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = 'duck' "
                "and schema_name = ? and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
        )
        spark_types = dict(con.execute("select column_name, column_type from (describe spark_side)").fetchall())
        duck_columns = [name for name in duck_types if name not in BUILD_STAMP_COLUMNS]
        spark_columns = [name for name in spark_types if name not in BUILD_STAMP_COLUMNS]
        shared = [name for name in duck_columns if name in spark_types]
        duck_select = ", ".join(_canonical(name, duck_types[name]) for name in shared)
        spark_select = ", ".join(_canonical(name, spark_types[name]) for name in shared)
        duck_rows = f'select {duck_select} from duck."{schema}"."{table}"'
        spark_rows = f"select {spark_select} from spark_side"
        return MartDifference(
            table=table,
            columns_only_in_duckdb=[name for name in duck_columns if name not in spark_types],
            columns_only_in_spark=[name for name in spark_columns if name not in duck_types],
            rows_only_in_duckdb=con.execute(f"({duck_rows}) except all ({spark_rows}) limit 20").fetchall(),
            rows_only_in_spark=con.execute(f"({spark_rows}) except all ({duck_rows}) limit 20").fetchall(),
        )
    finally:
        con.close()
