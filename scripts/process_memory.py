"""The memory a command uses: the summed resident set sizes of its process tree (workers, dbt, DuckDB)."""

from __future__ import annotations

import psutil


def tree_rss(process: psutil.Process) -> int:
    """Sum of the resident set sizes of a process and its children, in bytes (0 once it is gone)."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total
