"""dbt's parsed project (partial_parse.msgpack), kept between warehouses.

dbt writes the manifest it parsed to target/partial_parse.msgpack and reads it back on the next invocation with that
target/, where it re-parses only the files that changed since, or everything when the vars, the profile, the project
settings or dbt's version differ (it checks all of these itself). Each warehouse has a target/ of its own, so a new
warehouse would parse the whole project again: this module copies the last parse of the same project, the same
warehouse name (dbt-duckdb names the database after the file) and the same vars into a new target/, and keeps each
new parse.

The cache is `$ZFXXGK_CACHE_DIR`, else `$XDG_CACHE_HOME/zfxxgk`, else `~/.cache/zfxxgk`: one file per project folder,
warehouse name and vars (a build with another batch size has a parse of its own rather than replacing the usual
one), the CACHED_PARSES most recent kept. A stale or damaged file costs one full parse, never a wrong build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
CACHED_PARSES = 16
"""Parses kept (about 2.5 MB each): the vars hold the project's fingerprint, so each edit of the project adds one."""


def cache_dir() -> Path:
    """Where the parsed projects are kept."""
    if configured := os.environ.get("ZFXXGK_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zfxxgk"


def parse_cache_file(project_dir: Path, database_name: str, variables: dict[str, str]) -> Path:
    """The cache file of the parse of `project_dir` with dbt's `variables` for warehouses named `database_name`."""
    identity = f"{project_dir.resolve()}\0{database_name}\0{json.dumps(variables, sort_keys=True)}"
    key = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return cache_dir() / "dbt-parse" / f"{database_name}-{key}.msgpack"


def reuse_parsed_project(target_dir: Path, project_dir: Path, database_name: str, variables: dict[str, str]) -> Path:
    """Give a target/ the cached parse of these vars (the newest: its own may be of other vars, after a build with
    another batch size); the cache file to keep the next parse in."""
    cached = parse_cache_file(project_dir, database_name, variables)
    own = target_dir / PARTIAL_PARSE_FILE
    if cached.is_file():
        with contextlib.suppress(OSError):
            _copy_atomically(cached, own)
    return cached


def keep_parsed_project(target_dir: Path, cached: Path) -> None:
    """Keep the parse dbt wrote in `target_dir` as the cached one (if dbt wrote one since reuse_parsed_project)."""
    own = target_dir / PARTIAL_PARSE_FILE
    if not own.is_file():
        return
    if cached.is_file() and cached.stat().st_mtime_ns >= own.stat().st_mtime_ns:
        return
    # a read-only or full cache only costs the next warehouse a full parse
    with contextlib.suppress(OSError):
        _copy_atomically(own, cached)
        _forget_oldest(cached.parent)


def _forget_oldest(folder: Path) -> None:
    """Keep the CACHED_PARSES most recently written parses of `folder`."""
    parses = sorted(folder.glob("*.msgpack"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for path in parses[CACHED_PARSES:]:
        with contextlib.suppress(OSError):
            path.unlink()


def _copy_atomically(source: Path, destination: Path) -> None:
    """Copy so that a reader never sees half a file (several builds may share the cache), with the source's time:
    a parse dbt writes later is newer than both."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{os.getpid()}")
    shutil.copy2(source, partial)
    os.replace(partial, destination)
