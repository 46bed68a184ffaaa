"""Settings of the loaders, each with an environment override (the application's own are in zfxxgk.config)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_FILE_MB = 20.0
DEFAULT_BATCH_SIZE = 2048
"""Files per transaction: a multiple of ingest.land.ROW_GROUP_SIZE, so that batches fill whole row groups."""
PARALLEL_MIN_FILES = 1000
"""Below this many files decoding stays in one process: starting workers costs more than it saves."""
PROGRESS_MIN_FILES = 300
STORAGE_COMPATIBILITY_VERSION = os.environ.get("ZFXXGK_STORAGE_VERSION") or "v1.5.0"
"""The oldest DuckDB that can open the warehouse. BI tools bundle DuckDB 1.x (Superset's duckdb extra, the
Metabase driver, Evidence), and DuckDB 1.x cannot read a file in DuckDB 2.0's default storage format.
`ZFXXGK_STORAGE_VERSION=v2.0.0` builds faster when every reader has DuckDB 2. It is fixed when a warehouse is
created. profiles.yml reads it from ZFXXGK_STORAGE_VERSION, which zfxxgk.dbt_build sets from here."""


@dataclass(frozen=True)
class IngestSettings:
    """What an ingest run may read and how it spreads the work."""

    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    batch_size: int = DEFAULT_BATCH_SIZE
    workers: int = 0
    """0 = one worker per core once a batch has PARALLEL_MIN_FILES files; 1 = never spawn workers."""
    show_progress: bool | None = None
    """None = a progress bar only when there are more than PROGRESS_MIN_FILES files."""
    force: bool = False
    """Decode every file again even when its bytes are unchanged."""
    prune: bool = False
    """Drop what was landed from under the given paths and is no longer there (ingest.prune)."""

    @classmethod
    def from_env(cls, **overrides: object) -> IngestSettings:
        values: dict[str, object] = {}
        if "ZFXXGK_MAX_FILE_MB" in os.environ:
            values["max_file_bytes"] = int(float(os.environ["ZFXXGK_MAX_FILE_MB"]) * 1024 * 1024)
        if "ZFXXGK_WORKERS" in os.environ:
            values["workers"] = int(os.environ["ZFXXGK_WORKERS"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
