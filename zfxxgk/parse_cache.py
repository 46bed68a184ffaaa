"""dbt's parsed project (partial_parse.msgpack), kept between warehouses.

dbt writes the manifest it parsed to target/partial_parse.msgpack and reads it back on the next invocation with that
target/, where it re-parses only the files that changed since, or everything when the vars, the profile, the project
settings or dbt's version differ (it checks all of these itself). Each warehouse has a target/ of its own, so a new
warehouse would parse the whole project again: this module copies the last parse of the same project and the same
warehouse name (dbt-duckdb names the database after the file) into a new target/, and keeps each new parse.

The cache is `$ZFXXGK_CACHE_DIR`, else `$XDG_CACHE_HOME/zfxxgk`, else `~/.cache/zfxxgk`: one file per project folder
and warehouse name. A stale or damaged file costs one full parse, never a wrong build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def cache_dir() -> Path:
    """Where the parsed projects are kept."""
    if configured := os.environ.get("ZFXXGK_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zfxxgk"


def parse_cache_file(project_dir: Path, database_name: str) -> Path:
    """The cache file of the parse of `project_dir` for warehouses named `database_name`."""
    key = hashlib.sha256(f"{project_dir.resolve()}\0{database_name}".encode()).hexdigest()[:16]
    return cache_dir() / "dbt-parse" / f"{database_name}-{key}.msgpack"


def reuse_parsed_project(target_dir: Path, project_dir: Path, database_name: str) -> Path:
    """Give a target/ without a parse of its own the cached one; the cache file to keep the next parse in."""
    cached = parse_cache_file(project_dir, database_name)
    own = target_dir / PARTIAL_PARSE_FILE
    if not own.exists() and cached.is_file():
        with contextlib.suppress(OSError):
            _copy_atomically(cached, own)
    return cached


def keep_parsed_project(target_dir: Path, cached: Path) -> None:
    """Keep the parse dbt wrote in `target_dir` as the cached one (if it is newer)."""
    own = target_dir / PARTIAL_PARSE_FILE
    if not own.is_file():
        return
    if cached.is_file() and cached.stat().st_mtime_ns >= own.stat().st_mtime_ns:
        return
    # a read-only or full cache only costs the next warehouse a full parse
    with contextlib.suppress(OSError):
        _copy_atomically(own, cached)


def _copy_atomically(source: Path, destination: Path) -> None:
    """Copy so that a reader never sees half a file (several builds may share the cache)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{os.getpid()}")
    shutil.copyfile(source, partial)
    os.replace(partial, destination)
