"""What a run prints (issue 21): by default the steps, counts and warnings in plain language, dbt's own log with
-v, no colour codes off a terminal; dbt's target/ and log beside the work database, never in the checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DIR, built_node_counts

from zfxxgk.build_warnings import MESSAGES, WarningMessage
from zfxxgk.dbt_build import use_colours
from zfxxgk.publish import work_database_path

LONGEST_LINE = 110
"""No line of the default output is longer, once the warehouse's folder is written '…'."""


def _lines_without_timings(text: str, folder: Path) -> list[str]:
    """The lines of `text`, the folder of the warehouse written '…', the seconds and sizes that vary written '#'."""
    text = text.replace(str(folder), "…")
    return [re.sub(r"\d+(\.\d+)? ?(s|MB)\b", "#", line) for line in text.splitlines()]


def test_the_default_output_is_the_steps_their_counts_and_the_summary(
    sample_warehouse: tuple[Path, subprocess.CompletedProcess],
) -> None:
    db_path, result = sample_warehouse
    built = built_node_counts(db_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert _lines_without_timings(result.stdout, db_path.parent) == [
        "ingest: 5 file(s) in #: 5 new, 0 duplicate(s) of a loaded report, 0 unchanged, 0 replaced, 0 rejected",
        "database: …/zfxxgk-work/zfxxgk.duckdb",
        "build: every report (first build)",
        "build:",
        f"models: {built['model']} success",
        f"seeds: {built['seed']} success",
        f"tests: {built['test']} pass",
        "published …/zfxxgk.duckdb (# in #, readable by DuckDB v1.5.0 and newer; connect read-only)",
        "warehouse …/zfxxgk.duckdb:",
        "  reports                            5",
        "  source paths                       5",
        "  rejected files                     0",
        "  report lines                     369",
        "  web page furniture lines          12",
        "  indicator values                  89",
        "    of them blank cells             20",
        "    of them from prose              31",
        "  table issues                       0",
        "  prose conflicts                    1",
        "  quality issues                     1",
        "dbt's log: …/zfxxgk-work/logs/dbt.log",
    ]
    assert "\x1b" not in result.stdout
    assert max(map(len, _lines_without_timings(result.stdout, db_path.parent))) <= LONGEST_LINE


def test_dbt_writes_its_target_and_complete_log_beside_the_work_database(
    sample_warehouse: tuple[Path, subprocess.CompletedProcess],
) -> None:
    db_path, result = sample_warehouse
    work_folder = work_database_path(db_path).parent

    log = (work_folder / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Running with dbt=" in log
    counts = built_node_counts(db_path)
    # the project's hooks are nodes of the build too (on-run-start); the unit tests are not part of a build
    every_node = counts["model"] + counts["seed"] + counts["test"] + counts["operation"]
    assert f"Done. PASS={every_node} WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL={every_node}" in log
    assert "\x1b" not in log
    assert result.stdout.splitlines()[-1] == f"dbt's log: {work_folder / 'logs' / 'dbt.log'}"
    # (a later dbt run on this warehouse, as test_build.py's unit tests, replaces run_results.json, adds to the log)
    assert (work_folder / "target" / "run_results.json").is_file()
    assert (work_folder / "target" / "manifest.json").is_file()


def test_every_warn_severity_test_has_a_sentence(sample_warehouse: tuple[Path, subprocess.CompletedProcess]) -> None:
    db_path, _ = sample_warehouse
    manifest_path = work_database_path(db_path).parent / "target" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))

    warn_tests = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node["config"]["severity"].lower() == "warn"
    }

    assert warn_tests == set(MESSAGES)


def test_warnings_name_the_reports_in_plain_language(quality_warehouse: tuple[Path, str]) -> None:
    _, output = quality_warehouse
    see = "; see marts.fct_quality_issues"

    assert [line for line in output.splitlines() if line.startswith("warning: ")] == [
        f"warning: 1 report contradicts itself (a part above its whole): legacy_website_above_total.txt{see}",
        "warning: 2 reports contradict themselves (parts that do not add up to their total): "
        f"format_2021_review_block.txt, legacy_parts_and_totals.txt{see}",
        "warning: 1 report contradicts itself (applicant columns that do not add up to 总计): "
        f"format_2021_applicant_columns.txt{see}",
        "warning: 2 reports contradict themselves (table 三 does not balance): format_2021_applicant_columns.txt, "
        f"format_2021_intake_balance.txt{see}",
        "warning: 1 report holds a value out of bounds (a negative count, or digits run together): "
        f"legacy_implausible_magnitude.txt{see}",
        "warning: 2 reports carry over other figures than their year before gave: format_2019_items_2020.txt, "
        f"format_2021_carry_2023.txt{see}",
    ]
    assert "configured to warn" not in output


def test_a_warning_names_three_files_and_counts_the_rest() -> None:
    rejected = MESSAGES["no_rejected_files"]
    contradicted = MESSAGES["fct_indicator_values_table_3_balances"]
    files = [(f"{n}.pdf", "corrupt: the PDF cannot be opened; download it again") for n in range(5)]

    assert rejected.say(files[:1]) == "1 file rejected: 0.pdf (corrupt: the PDF cannot be opened; download it again)"
    assert rejected.say(files).splitlines() == [
        "5 files rejected:",
        "  0.pdf (corrupt: the PDF cannot be opened; download it again)",
        "  1.pdf (corrupt: the PDF cannot be opened; download it again)",
        "  2.pdf (corrupt: the PDF cannot be opened; download it again)",
        "  and 2 more",
    ]
    assert contradicted.say([(f"{n}.txt", None) for n in range(1200)]) == (
        "1,200 reports contradict themselves (table 三 does not balance): 0.txt, 1.txt, 2.txt, and 1,197 more; "
        "see marts.fct_quality_issues"
    )


def test_a_long_detail_or_a_forged_name_stays_on_its_line() -> None:
    message = WarningMessage("1 file rejected", "{n} files rejected", "")

    assert message.say([("a\nwarning: forged.txt", "x" * 300)]) == (
        "1 file rejected: a\\nwarning: forged.txt (" + "x" * 124 + "…)"
    )


@pytest.mark.parametrize(
    ("terminal", "no_color", "colours"),
    [(True, None, True), (True, "1", False), (False, None, False)],
    ids=["terminal", "terminal-NO_COLOR", "pipe"],
)
def test_colours_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, terminal: bool, no_color: str | None, colours: bool
) -> None:
    primary, secondary = os.openpty()
    read, write = os.pipe()
    try:
        with open(secondary if terminal else write, "w", closefd=False) as stdout:
            monkeypatch.setattr(sys, "stdout", stdout)
            if no_color is None:
                monkeypatch.delenv("NO_COLOR", raising=False)
            else:
                monkeypatch.setenv("NO_COLOR", no_color)
            assert use_colours() is colours
    finally:
        for descriptor in (primary, secondary, read, write):
            os.close(descriptor)


PROJECT_FILES = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "analyses", "tests", "zfxxgk"]


@pytest.mark.builds(1)
def test_two_warehouses_of_one_checkout_leave_no_dbt_files_in_it(tmp_path: Path) -> None:
    """Each warehouse gets dbt's target/ and logs/ in its work folder; -v shows dbt's own log, the default not. The
    second warehouse of the same name starts from the parse of the first (zfxxgk.parse_cache), kept outside both."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("python", "__pycache__"))
        else:
            shutil.copy(source, checkout / name)
    cache = tmp_path / "cache"
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "ZFXXGK_PROJECT_DIR": str(checkout),
        "ZFXXGK_CACHE_DIR": str(cache),
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zfxxgk.cli", *args], capture_output=True, text=True, env=env, cwd=checkout
        )

    outputs, logs = {}, {}
    for name, verbose in (("quiet", []), ("verbose", ["-v"])):
        db = tmp_path / name / "zfxxgk.duckdb"
        assert cli("ingest", str(SAMPLE_DIR), "--db", str(db)).returncode == 0
        result = cli("build", "--db", str(db), "--select", "stg_ingest_rejections", *verbose)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[name] = result.stdout
        work_folder = work_database_path(db).parent
        assert (work_folder / "target" / "run_results.json").is_file()
        assert (work_folder / "logs" / "dbt.log").is_file()
        assert result.stdout.splitlines()[-1] == f"dbt's log: {work_folder / 'logs' / 'dbt.log'}"
        logs[name] = (work_folder / "logs" / "dbt.log").read_text(encoding="utf-8")

    assert sorted(path.name for path in checkout.iterdir()) == sorted(PROJECT_FILES)
    assert "Unable to do partial parsing because saved manifest not found. Starting full parse." in logs["quiet"]
    assert "Unable to do partial parsing" not in logs["verbose"]
    assert "Found " in logs["verbose"]  # dbt read the project: from the first warehouse's parse
    # the log file at info level (DBT_LOG_LEVEL_FILE=debug would add every statement)
    assert "[debug]" not in logs["quiet"]
    assert "[info ]" in logs["quiet"]
    assert [path.name.split("-")[0] for path in (cache / "dbt-parse").iterdir()] == ["zfxxgk"]
    assert "Running with dbt=" not in outputs["quiet"]
    assert "Running with dbt=" in outputs["verbose"]
    assert "Completed successfully" in outputs["verbose"]
    assert "\x1b" not in outputs["verbose"]
    # the tests of the model built (dbt selects every test that reads it): all passed
    manifest = json.loads((work_database_path(db).parent / "target" / "manifest.json").read_text("utf-8"))
    model_tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and "model.zfxxgk.stg_ingest_rejections" in node["depends_on"]["nodes"]
    ]
    assert model_tests
    assert f"tests: {len(model_tests)} pass" in outputs["quiet"]
