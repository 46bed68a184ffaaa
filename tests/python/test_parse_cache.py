"""zfxxgk.parse_cache: dbt's parse of the project, kept between warehouses, one per project, name and vars."""

from __future__ import annotations

from pathlib import Path

import pytest

from zfxxgk.parse_cache import (
    CACHED_PARSES,
    PARTIAL_PARSE_FILE,
    keep_parsed_project,
    parse_cache_file,
    reuse_parsed_project,
)

DEFAULT = {"project_fingerprint": "f1", "report_batch_size": "25000"}
SMALL_BATCHES = {"project_fingerprint": "f1", "report_batch_size": "7"}


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZFXXGK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "dbt-parse"


def parse(target: Path, variables: dict[str, str], project: Path, text: str) -> None:
    """What one dbt invocation does to the cache: reuse, write its own parse, keep it."""
    cached = reuse_parsed_project(target, project, "zfxxgk", variables)
    (target / PARTIAL_PARSE_FILE).write_text(text, encoding="utf-8")
    keep_parsed_project(target, cached)


def test_each_set_of_vars_keeps_a_parse_of_its_own(tmp_path: Path) -> None:
    project = tmp_path / "project"
    first, second, third = (tmp_path / name / "target" for name in ("first", "second", "third"))
    for target in (first, second, third):
        target.mkdir(parents=True)
    parse(first, DEFAULT, project, "parse with the default batch size")
    parse(second, SMALL_BATCHES, project, "parse with batches of 7")
    assert parse_cache_file(project, "zfxxgk", DEFAULT) != parse_cache_file(project, "zfxxgk", SMALL_BATCHES)
    # a warehouse whose own parse is of other vars gets the cached one of the vars it runs with
    (third / PARTIAL_PARSE_FILE).write_text("parse with batches of 7", encoding="utf-8")
    reuse_parsed_project(third, project, "zfxxgk", DEFAULT)
    assert (third / PARTIAL_PARSE_FILE).read_text(encoding="utf-8") == "parse with the default batch size"
    # another project folder or warehouse name shares nothing
    assert not (tmp_path / "other").exists()
    assert reuse_parsed_project(third, tmp_path / "other", "zfxxgk", DEFAULT) != parse_cache_file(
        project, "zfxxgk", DEFAULT
    )
    assert parse_cache_file(project, "q", DEFAULT).name.startswith("q-")


def test_a_parse_dbt_did_not_rewrite_is_not_copied_back_and_the_newest_parses_are_kept(
    tmp_path: Path, cache: Path
) -> None:
    project = tmp_path / "project"
    target = tmp_path / "w" / "target"
    target.mkdir(parents=True)
    parse(target, DEFAULT, project, "the first parse")
    cached = parse_cache_file(project, "zfxxgk", DEFAULT)
    written = cached.stat().st_mtime_ns
    # dbt found the parse current and left it: the cache file is not written again
    keep_parsed_project(target, reuse_parsed_project(target, project, "zfxxgk", DEFAULT))
    assert cached.stat().st_mtime_ns == written
    # each edit of the project is a fingerprint of its own: the CACHED_PARSES newest stay
    for number in range(CACHED_PARSES + 3):
        parse(target, {**DEFAULT, "project_fingerprint": f"edit {number}"}, project, f"parse {number}")
    kept = sorted(path.read_text(encoding="utf-8") for path in cache.glob("*.msgpack"))
    assert kept == sorted(f"parse {number}" for number in range(3, CACHED_PARSES + 3))
