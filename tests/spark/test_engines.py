"""The same dbt project on Spark (`make test-spark`): the sample and the table, prose and quality fixtures, built on
DuckDB (the warehouse file) and on a local Spark (dbt-spark, method session, reading the Parquet lake), give the same
relations row for row. Runs in .venv-spark, which holds both adapters.

Spark builds the way a growing corpus is built: first without two reports (the next years of reports whose runs of
digits and carried-over applications they settle), then, incrementally, after they arrive, a sample report is
revised and a prose fixture removed (the lake records each change as a batch). DuckDB builds the final corpus at
once. Every model, seed, data test and unit test builds and passes on Spark, the digit-run splitter included (a
script under Spark's transform)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from engine_equality import compare_mart, spark_table_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = {
    "sample": ROOT / "data" / "sample",
    "tables": FIXTURES / "tables",
    "prose": FIXTURES / "prose",
    "quality": FIXTURES / "quality",
}
Built = tuple[Path, Path, subprocess.CompletedProcess[str]]
"""(the DuckDB warehouse, Spark's warehouse folder, Spark's incremental build)."""
COMPARED_RELATIONS = [
    ("marts", "fct_report_sections"),
    ("intermediate", "int_reports_described"),
    ("intermediate", "int_table_runs_split"),
    ("marts", "fct_indicator_values"),
    ("marts", "dim_reports"),
    ("marts", "fct_quality_issues"),
    ("marts", "mart_report_indicators"),
    ("intermediate", "int_prose_values_resolved"),
    ("intermediate", "int_table_cells_labelled"),
    ("marts", "mart_issuer_year_panel"),
]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=3600)


LATER = ["tables/format_2019_one_line_2020.txt", "quality/format_2021_carry_2024.txt"]
"""Reports Spark's first build does not have: they arrive before the incremental one."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("engines")
    corpus = root / "corpus"
    for folder, source in CORPUS.items():
        (corpus / folder).mkdir(parents=True)
        for path in source.glob("*.txt"):
            shutil.copy(path, corpus / folder / path.name)
    later = root / "later"
    for name in LATER:
        (later / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(corpus / name, later / name)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    lake, spark_dir = root / "lake", root / "spark"
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
        *("build", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)),
        *("--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs"), "--no-use-colors"),
    ]

    def land(*options: str) -> None:
        """Ingest the corpus as it is now into the lake (a warehouse of its own keeps the ingest's state)."""
        zfxxgk = [sys.executable, "-m", "zfxxgk.cli", "ingest", str(corpus), *options]
        landed = run([*zfxxgk, "--db", str(root / "landing" / "zfxxgk.duckdb"), "--lake", str(lake)], env)
        assert landed.returncode == 0, landed.stdout + landed.stderr

    land()
    first = run([*dbt, "--full-refresh"], spark_env)
    assert first.returncode == 0, "\n".join(first.stdout.splitlines()[-60:]) + first.stderr[-3000:]

    for name in LATER:
        shutil.move(later / name, corpus / name)
    revised = sorted((corpus / "sample").glob("*.txt"))[0]
    revised.write_text(revised.read_text(encoding="utf-8") + "\n本报告到此结束。\n", encoding="utf-8")
    sorted((corpus / "prose").glob("*.txt"))[0].unlink()
    land("--prune")
    duckdb_file = root / "duckdb" / "zfxxgk.duckdb"
    at_once = run([sys.executable, "-m", "zfxxgk.cli", "run", str(corpus), "--db", str(duckdb_file)], env)
    assert at_once.returncode == 0, at_once.stdout + at_once.stderr
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


def test_the_second_spark_build_rebuilds_only_the_reports_that_changed(built: Built) -> None:
    _, spark_warehouse, _ = built
    changed = spark_table_files(spark_warehouse, "intermediate", "int_reports_changed")
    # the two reports that arrived and the revised sample report (a text of its own: a new report) are new; the
    # sample report's earlier text and the prose fixture are removed
    assert duckdb.sql(
        f"select change, count(*) from read_parquet('{changed}') group by all order by all"
    ).fetchall() == [("new", 3), ("removed", 2)]
