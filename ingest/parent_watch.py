"""Worker processes end with the process that started them, however it ends (kill -9 too).

The workers are forked by a fork server, not by the ingest process, so they never notice its death on their own:
they wait on the task queue forever, and the fork server waits for them (it ends when the last of its clients has
gone). PR_SET_PDEATHSIG would not help: it signals a child when its own parent (the fork server) dies. Instead the
ingest process opens a pipe and keeps its writing end; each worker gets the reading end and watches it from a
thread. When the ingest process ends, the kernel closes the writing end, the read sees end of file, and the worker
exits at once; then the fork server, left without clients, ends too. This works on every POSIX system.
"""

from __future__ import annotations

import contextlib
import os
import threading
from multiprocessing.connection import Connection

EXIT_ORPHANED = 70
"""A worker's exit status when the ingest process that started it is gone."""


def watch_parent(lifeline: Connection) -> None:
    """Worker initializer: exit this process as soon as `lifeline`'s writing end is closed everywhere."""
    threading.Thread(target=_exit_when_closed, args=(lifeline,), name="zfxxgk-lifeline", daemon=True).start()


def _exit_when_closed(lifeline: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(EXIT_ORPHANED)
