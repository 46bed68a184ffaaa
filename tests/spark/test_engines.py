"""The same dbt project on Spark (`make test-spark`): the sample and the table, prose and quality fixtures, landed
once with `zfxxgk run --lake`, built on DuckDB (the warehouse file) and on a local Spark (dbt-spark, method session,
reading the Parquet lake), give the same relations row for row. Runs in .venv-spark, which holds both adapters.

Not yet on Spark: mart_issuer_year_panel (and what reads it): its unit test runs for some 7 minutes on Spark and
its rates_missing_reason differs (docs/spark.md, "Next steps"). Everything else builds and passes its tests on Spark,
the digit-run splitter included (a script under Spark's transform), and the four marts of issue 18 are compared here
with the relations they are made of."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from engine_equality import compare_mart

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = {
    "sample": ROOT / "data" / "sample",
    "tables": FIXTURES / "tables",
    "prose": FIXTURES / "prose",
    "quality": FIXTURES / "quality",
}
Built = tuple[Path, Path, subprocess.CompletedProcess[str]]
"""(the DuckDB warehouse, Spark's warehouse folder, the Spark build)."""
NOT_YET_ON_SPARK = "mart_issuer_year_panel+"
"""What does not build on Spark yet (see the module's docstring)."""
COMPARED_RELATIONS = [
    ("marts", "fct_report_sections"),
    ("intermediate", "int_reports_described"),
    ("intermediate", "int_table_runs_split"),
    pytest.param(
        "marts",
        "fct_indicator_values",
        marks=pytest.mark.xfail(
            strict=True,
            reason="known difference (docs/spark.md): the values of the cells of rows inferred blank (16 of the "
            "fixtures) are missing on Spark, as those cells are",
        ),
    ),
    ("marts", "dim_reports"),
    ("marts", "fct_quality_issues"),
    ("marts", "mart_report_indicators"),
    pytest.param(
        "intermediate",
        "int_prose_values_resolved",
        marks=pytest.mark.xfail(
            strict=True,
            reason="known difference (docs/spark.md): a figure whose evidence runs over a line break gets offsets "
            "30 characters further on Spark (2 values of the fixtures)",
        ),
    ),
    pytest.param(
        "intermediate",
        "int_table_cells_labelled",
        marks=pytest.mark.xfail(
            strict=True,
            reason="known difference (docs/spark.md): the cells of rows inferred blank (cell_status 'blank') are "
            "missing on Spark",
        ),
    ),
]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=3600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("engines")
    corpus = root / "corpus"
    for folder, source in CORPUS.items():
        (corpus / folder).mkdir(parents=True)
        for path in source.glob("*.txt"):
            shutil.copy(path, corpus / folder / path.name)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    duckdb_file, lake, spark_dir = root / "duckdb" / "zfxxgk.duckdb", root / "lake", root / "spark"
    landed = run(
        [sys.executable, "-m", "zfxxgk.cli", "run", str(corpus), "--db", str(duckdb_file), "--lake", str(lake)], env
    )
    assert landed.returncode == 0, landed.stdout + landed.stderr
    spark_env = {
        **env,
        "ZFXXGK_TARGET": "spark",
        "ZFXXGK_LAKE": str(lake),
        "ZFXXGK_SPARK_DIR": str(spark_dir),
        # the Python that runs the digit-run search under Spark's transform (zfxxgk.spark_runs)
        "ZFXXGK_SPARK_PYTHON": sys.executable,
    }
    dbt = [
        str(Path(sys.executable).parent / "dbt"),
        *("build", "--full-refresh", "--exclude", NOT_YET_ON_SPARK),
        *("--project-dir", str(ROOT), "--profiles-dir", str(ROOT)),
        *("--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs"), "--no-use-colors"),
    ]
    return duckdb_file, spark_dir / "warehouse", run(dbt, spark_env)


def test_every_model_seed_and_test_builds_and_passes_on_spark(built: Built) -> None:
    _, _, spark_build = built
    summary = [line for line in spark_build.stdout.splitlines() if "Done. PASS=" in line]
    assert spark_build.returncode == 0, "\n".join(spark_build.stdout.splitlines()[-60:]) + spark_build.stderr[-3000:]
    assert len(summary) == 1 and " ERROR=0 " in summary[0] and " SKIP=0 " in summary[0], summary


@pytest.mark.parametrize(("schema", "relation"), COMPARED_RELATIONS)
def test_spark_builds_the_relations_duckdb_builds(built: Built, schema: str, relation: str) -> None:
    duckdb_file, spark_warehouse, _ = built
    difference = compare_mart(duckdb_file, spark_warehouse, relation, schema)
    assert difference.columns_only_in_duckdb == []
    assert difference.columns_only_in_spark == []
    assert difference.rows_only_in_duckdb == []
    assert difference.rows_only_in_spark == []
