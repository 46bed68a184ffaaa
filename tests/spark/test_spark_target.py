"""The dbt project on Spark (profiles.yml target spark: dbt-spark, method session): the raw lake's Parquet files as
the sources, the seeds as written.

Run with the Spark environment (`make spark`): `.venv-spark/bin/pytest -p no:cacheprovider tests/spark`. Each dbt
invocation starts a local Spark (some 20 s); the module builds one small Spark warehouse and asserts on it.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
RAW_TABLES = ("reports", "report_sources", "report_table_cells", "report_pages", "ingest_rejections")

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not (PROJECT / ".venv-spark").is_dir(),
    reason="needs the Spark environment and a Java runtime: make spark",
)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


@pytest.fixture(scope="module")
def spark_warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """data/sample landed by `zfxxgk ingest --lake` into DuckDB and the raw lake, then two seeds loaded on Spark (the
    lake's staging and everything after it: test_engines.py)."""
    root = tmp_path_factory.mktemp("spark")
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "ZFXXGK_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    db, lake = root / "duck.duckdb", root / "lake"
    run(
        [
            sys.executable,
            "-m",
            "zfxxgk.cli",
            "ingest",
            "data/sample",
            "--db",
            str(db),
            "--lake",
            str(lake),
            "--no-progress",
        ],
        env,
    )
    (work_file,) = (root / "duck-work").glob("*.duckdb")
    spark_env = {**env, "ZFXXGK_TARGET": "spark", "ZFXXGK_SPARK_DIR": str(root / "spark"), "ZFXXGK_LAKE": str(lake)}
    dbt = str(Path(sys.executable).parent / "dbt")
    paths = ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    run([dbt, "seed", "--select", "web_furniture_patterns", "indicators", *paths], spark_env)
    return {"root": root, "work_file": work_file}


def spark_rows(root: Path, sql: str) -> list[tuple]:
    """The rows of a query on the Spark warehouse (its catalog in <root>/spark, as profiles.yml lays it out)."""
    from pyspark.sql import SparkSession

    spark_dir = root / "spark"
    session = (
        SparkSession.builder.enableHiveSupport()
        .master("local[1]")
        .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={spark_dir}/metastore_db")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    return [tuple(row) for row in session.sql(sql).collect()]


def seed_csv(name: str) -> list[dict[str, str]]:
    (path,) = PROJECT.glob(f"seeds/*/{name}.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_seeds_keep_backslashes_and_blank_cells(spark_warehouse: dict[str, Path]) -> None:
    """dbt-spark's own seed loading quoted values unescaped and wrote a blank cell as 'None'."""
    root = spark_warehouse["root"]
    expected = sorted((int(row["pattern_id"]), row["pattern"]) for row in seed_csv("web_furniture_patterns"))
    assert any("\\" in pattern for _, pattern in expected)
    assert sorted(spark_rows(root, "select pattern_id, pattern from raw.web_furniture_patterns")) == expected
    blank_parents = sum(1 for row in seed_csv("indicators") if row["parent_code"] == "")
    assert spark_rows(root, "select count(*) from raw.indicators where parent_code is null") == [(blank_parents,)]
