"""The docs say what the code does: rule names, severities, and descriptions that stay inside the repository."""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUALITY_RULES = ROOT / "seeds" / "quality" / "quality_rules.csv"
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Words only rule names are made of: a backticked snake_case name holding one of them names a rule.
RULE_WORDS = (
    "mismatch",
    "differ",
    "exceed",
    "ambiguous",
    "broken",
    "overruled",
    "out_of_balance",
    "negative_count",
    "implausible",
    "line_cut",
    "valid_split",
    "many_splits",
    "conflicting",
)
# Names with those words that are something else, and where that is defined.
NOT_RULES = {
    "extension_mismatch": "ingest/rejections.py",  # a rejection reason of raw.ingest_rejections
    "line_cut_clause_delimiters": "dbt_project.yml",  # a dbt var
    "too_many_splits": "zfxxgk/digit_runs.py",  # a split_status of the digit-run splitter (rule run_too_many_splits)
}
BACKTICKED_NAME = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")
# a row of a rule table in docs/quality.md: `rule`(, `rule`)* | severity | ...
RULE_TABLE_ROW = re.compile(r"^\| ((?:`[a-z_]+`(?:, )?)+) \| (error|warn|info) \|", re.MULTILINE)


def seed_rules() -> dict[str, str]:
    with QUALITY_RULES.open(encoding="utf-8", newline="") as handle:
        return {row["rule"]: row["severity"] for row in csv.DictReader(handle)}


def test_every_rule_name_the_docs_mention_is_in_the_quality_rules_seed() -> None:
    rules = seed_rules()
    mentioned = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in DOC_FILES
        for name in BACKTICKED_NAME.findall(path.read_text(encoding="utf-8"))
        if any(word in name for word in RULE_WORDS) and name not in NOT_RULES
    }
    assert {(path, name) for path, name in mentioned if name not in rules} == set()
    # the check sees the rules the README and the quality page name
    assert ("README.md", "parts_differ_from_total") in mentioned or ("docs/quality.md", "parts_differ_from_total") in (
        mentioned
    )
    assert len({name for _, name in mentioned}) >= 15


def test_the_names_that_are_not_rules_are_what_the_docs_say() -> None:
    for name, defined_in in NOT_RULES.items():
        assert name in (ROOT / defined_in).read_text(encoding="utf-8"), (name, defined_in)
    assert set(NOT_RULES) & set(seed_rules()) == set()


def test_the_quality_page_lists_every_rule_with_its_severity() -> None:
    listed: dict[str, str] = {}
    for names, severity in RULE_TABLE_ROW.findall((ROOT / "docs" / "quality.md").read_text(encoding="utf-8")):
        for name in re.findall(r"`([a-z_]+)`", names):
            assert name not in listed, f"{name} is listed twice"
            listed[name] = severity
    assert listed == seed_rules()


def test_descriptions_point_inside_the_repository() -> None:
    """Column and model descriptions name the project's own seeds and docs, never ../shared (not in a clone)."""
    described = [*ROOT.glob("models/**/*.yml"), *ROOT.glob("models/**/*.sql"), *ROOT.glob("seeds/**/*.yml")]
    assert len(described) > 20
    assert [path.relative_to(ROOT).as_posix() for path in described if "../shared" in path.read_text("utf-8")] == []
