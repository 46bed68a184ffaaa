"""The environments hold exactly their locks, and the locks keep the ranges they were compiled from (issue 15)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = ROOT / "requirements"
DUCKDB1_PYTHON = ROOT / ".venv-duckdb1" / "bin" / "python"
PROJECT = "zfxxgk"

INSTALLED_PACKAGES = """
import json
from importlib import metadata
print(json.dumps({dist.metadata["Name"]: dist.version for dist in metadata.distributions()}))
"""


Pin = tuple[str, str, Marker | None, int]


def read_lock(name: str) -> list[Pin]:
    """Each pin of requirements/<name>.lock.txt: (canonical name, version, marker, number of hashes). A universal
    lock may pin a package twice, under exclusive markers (networkx for Python < 3.12 and >= 3.12)."""
    text = (REQUIREMENTS / f"{name}.lock.txt").read_text(encoding="utf-8").replace("\\\n", " ")
    pins: list[Pin] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement_text, *hashes = line.split("--hash=")
        requirement = Requirement(requirement_text.strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", line
        pins.append((canonicalize_name(requirement.name), specifier.version, requirement.marker, len(hashes)))
    return pins


def applicable(pins: list[Pin]) -> dict[str, str]:
    """The pins whose environment markers hold for this interpreter: what an install of the lock gives here."""
    return {name: version for name, version, marker, _ in pins if marker is None or marker.evaluate()}


def installed(python: Path | str) -> dict[str, str]:
    output = subprocess.run([str(python), "-c", INSTALLED_PACKAGES], capture_output=True, text=True, check=True)
    return {canonicalize_name(name): version for name, version in json.loads(output.stdout).items()}


@pytest.mark.parametrize("lock", ["bootstrap", "dev", "duckdb1", "tools", "divisions", "superset"])
def test_every_pin_is_exact_and_hashed(lock: str) -> None:
    pins = read_lock(lock)
    assert pins
    assert [name for name, _, _, hash_count in pins if hash_count == 0] == []


def test_the_project_environment_holds_exactly_its_locks() -> None:
    expected = applicable(read_lock("bootstrap")) | applicable(read_lock("dev"))
    actual = installed(sys.executable)
    assert actual.pop(PROJECT) == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert actual == expected


def test_the_older_duckdb_environment_holds_exactly_its_locks() -> None:
    assert DUCKDB1_PYTHON.is_file(), "no DuckDB 1.5 environment: `make test` creates .venv-duckdb1"
    expected = applicable(read_lock("bootstrap")) | applicable(read_lock("duckdb1"))
    assert installed(DUCKDB1_PYTHON) == expected


def requirements_of(path: Path) -> list[Requirement]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["dev"]]


@pytest.mark.parametrize(
    ("lock", "source"),
    [
        ("dev", "pyproject.toml"),
        ("bootstrap", "requirements/bootstrap.in"),
        ("duckdb1", "requirements/duckdb1.in"),
        ("tools", "requirements/tools.in"),
        ("divisions", "requirements/divisions.in"),
        ("superset", "requirements/superset.in"),
    ],
)
def test_each_lock_keeps_the_ranges_it_was_compiled_from(lock: str, source: str) -> None:
    """A range changed without `make lock` fails here, not on a user's machine."""
    requirements = project_requirements() if source == "pyproject.toml" else requirements_of(ROOT / source)
    pins = applicable(read_lock(lock))
    outside = {
        str(requirement): pins.get(canonicalize_name(requirement.name))
        for requirement in requirements
        if not requirement.specifier.contains(pins.get(canonicalize_name(requirement.name), "0.0.0a0"), True)
    }
    assert outside == {}


def test_the_locks_pin_the_duckdb_whose_levenshtein_counts_characters() -> None:
    """duckdb 2.0.0 counted bytes: the lock, not the day of the install, decides which build runs."""
    assert applicable(read_lock("dev"))["duckdb"] == "2.0.1"
    assert applicable(read_lock("duckdb1"))["duckdb"] == "1.5.6"
