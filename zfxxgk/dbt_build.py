"""Run the dbt project (seeds, models, tests) against a warehouse file and summarise the outcome."""

from __future__ import annotations

import gc
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.config import STORAGE_COMPATIBILITY_VERSION

PROJECT_MARKER = "dbt_project.yml"


class ProjectNotFoundError(RuntimeError):
    """The dbt project that holds the models cannot be found."""


@dataclass
class BuildOutcome:
    success: bool
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(resource type, status) -> number of nodes."""
    relations: list[str] = field(default_factory=list)
    """The seeds and models built, as 'schema.name (materialization)'."""
    problems: list[str] = field(default_factory=list)
    """One line per test that warned or failed and per node that errored."""

    def describe(self) -> str:
        built: dict[str, list[str]] = {}
        for (resource, status), n in sorted(self.counts.items()):
            built.setdefault(resource, []).append(f"{n} {status}")
        lines = [f"{resource}s: {', '.join(parts)}" for resource, parts in built.items()]
        if self.relations:
            lines.append("built: " + ", ".join(sorted(self.relations)))
        lines += self.problems
        return "\n".join(lines)


def find_project_dir() -> Path:
    """`ZFXXGK_PROJECT_DIR`, else the checkout this package was installed from (editable install)."""
    candidates = [os.environ.get("ZFXXGK_PROJECT_DIR"), Path(__file__).resolve().parents[1], Path.cwd()]
    for candidate in candidates:
        if candidate and (Path(candidate) / PROJECT_MARKER).is_file():
            return Path(candidate).resolve()
    raise ProjectNotFoundError(
        "cannot find the dbt project (dbt_project.yml): run from the zfxxgk checkout or set ZFXXGK_PROJECT_DIR"
    )


def run_dbt(db_path: Path, args: list[str], project_dir: Path | None = None) -> BuildOutcome:
    """Invoke dbt in-process with the warehouse at `db_path`; warn-severity tests do not fail it."""
    from dbt.cli.main import dbtRunner

    project_dir = project_dir or find_project_dir()
    os.environ["ZFXXGK_DB"] = str(db_path.resolve())
    # DuckDB spills what exceeds its memory_limit (profiles.yml) beside the work file, not into the checkout
    os.environ["ZFXXGK_SPILL_DIR"] = str(db_path.resolve().parent / "spill")
    os.environ["ZFXXGK_STORAGE_VERSION"] = STORAGE_COMPATIBILITY_VERSION
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    try:
        result = dbtRunner().invoke([*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)])
    finally:
        _release_warehouse()
    outcome = BuildOutcome(success=bool(result.success))
    if result.exception is not None:
        outcome.problems.append(f"dbt failed: {result.exception}")
    for node_result in getattr(result.result, "results", None) or []:
        node = node_result.node
        status = str(node_result.status)
        outcome.counts[(str(node.resource_type), status)] += 1
        if str(node.resource_type) in ("model", "seed") and status == "success":
            outcome.relations.append(f"{node.schema}.{node.alias} ({node.config.materialized})")
        if status in ("warn", "fail", "error"):
            message = (node_result.message or "").strip().splitlines()
            outcome.problems.append(f"{status}: {node.name}: {message[0] if message else ''}")
    return outcome


def _release_warehouse() -> None:
    """Close the connection dbt-duckdb keeps for the life of the process, so the file can be checkpointed,
    published, or opened read-only next."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def build(
    db_path: Path,
    select: list[str] | None = None,
    project_dir: Path | None = None,
    full_refresh: bool = False,
    variables: dict[str, str] | None = None,
    reuse_seeds: bool = False,
) -> BuildOutcome:
    """`dbt build`: seeds, models and their data tests, in dependency order. The per-report models rebuild only the
    reports changed since the last build, unless `full_refresh`. The unit tests check the models' logic, not the
    data, so they are left to `make test` (run_unit_tests). `reuse_seeds` leaves the seeds and their tests out: the
    caller knows they have not changed since the last build (zfxxgk.build_state's fingerprint covers them)."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    if reuse_seeds:
        args += ["--exclude", "resource_type:seed"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    return run_dbt(db_path, args, project_dir)


def run_unit_tests(db_path: Path, project_dir: Path | None = None) -> BuildOutcome:
    """The dbt unit tests (given rows in, expected rows out), against a built warehouse's relations."""
    return run_dbt(db_path, ["test", "--select", "test_type:unit"], project_dir)


def generate_docs(db_path: Path, target_path: Path, project_dir: Path | None = None) -> BuildOutcome:
    """`dbt docs generate`: the docs site (index.html, manifest.json, catalog.json) in `target_path`."""
    return run_dbt(db_path, ["docs", "generate", "--target-path", str(target_path.resolve())], project_dir)
