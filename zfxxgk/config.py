"""Settings of the application (the loaders' own are in ingest.config), each with an environment override."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_PATH = Path("warehouse/zfxxgk.duckdb")


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: `--db`, else `ZFXXGK_DB`, else `warehouse/zfxxgk.duckdb`."""
    value = cli_value or os.environ.get("ZFXXGK_DB") or DEFAULT_DB_PATH
    return Path(value)
