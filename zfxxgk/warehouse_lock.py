"""One writer at a time per warehouse: an advisory lock that covers a whole ingest, build or publish.

DuckDB locks the work file only while it is open, so without this a second `zfxxgk run` could land its files
between the first one's ingest and build (the first then builds and publishes them) and fail later inside dbt.
Every command that writes takes this lock first, for its whole run, and a second one fails at once (or waits,
given --wait). The lock is fcntl.flock on a file in the work folder: the kernel releases it when the process
ends, however it ends (kill -9 too), so a lock is never stale. The file holds the pid, command and start time of
the holder, for the message only. Readers (summary, export, overview, query tools) take no lock: they read the
published file, which a publish replaces by a rename.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ingest.display import display_path
from zfxxgk.publish import work_database_path

HOLDER_READ_ATTEMPTS = 20
"""Reads of the holder's line before giving up (it is written just after the lock is taken)."""


class WarehouseBusyError(RuntimeError):
    """Another zfxxgk command holds the warehouse's lock."""


def lock_path(published: Path) -> Path:
    """The lock file of the warehouse published at `published`: beside its work file."""
    work = work_database_path(published)
    return work.with_name(work.name + ".lock")


@contextmanager
def warehouse_lock(
    published: Path, command: str, wait: bool = False, say: Callable[[str], None] = print
) -> Iterator[Path]:
    """Hold the lock of the warehouse at `published` while the block runs.

    Raise WarehouseBusyError when another process holds it, unless `wait`: then say so and wait for it.
    """
    path = lock_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(descriptor):
            holder = _holder(descriptor)
            if not wait:
                raise WarehouseBusyError(
                    f"{display_path(published)} is busy: {holder} is working on this warehouse: "
                    "wait for it, or run with --wait"
                )
            say(f"waiting: {holder} is working on {display_path(published)}; this {command} starts when it ends")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        _record_holder(descriptor, command)
        try:
            yield path
        finally:
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _record_holder(descriptor: int, command: str) -> None:
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    line = f"{os.getpid()}\t{command}\t{started}\n".encode()
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, line, 0)


def _holder(descriptor: int) -> str:
    """Who holds the lock, as `another zfxxgk run (pid 12, started at 2026-01-01 10:00:00 UTC)`."""
    for _ in range(HOLDER_READ_ATTEMPTS):
        fields = os.pread(descriptor, 4096, 0).decode(errors="replace").rstrip("\n").split("\t")
        if len(fields) == 3 and fields[0].isdigit():
            pid, command, started = fields
            return f"another zfxxgk {command} (pid {pid}, started at {started})"
        time.sleep(0.05)
    return "another zfxxgk command"
