"""Find the files to ingest under the paths a user gives: files and folders, recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.display import display_path


class PathNotFoundError(FileNotFoundError):
    """A path given on the command line does not exist."""


class NoReportFilesError(PathNotFoundError):
    """The paths given exist but hold no file to ingest (an empty folder, or only hidden entries)."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        given = ", ".join(display_path(path) for path in paths)
        super().__init__(
            f"no report files found under {given} (names starting with '.' are skipped): nothing was landed, "
            "built or published, and the warehouse is left as it was. Check the path, or put the report files "
            "(.txt, .html, .pdf, .doc, .docx, ...) there, and run again"
        )


def discover_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every regular file under `paths`, absolute, sorted and without repeats.

    Folders are walked recursively and symlinks to folders are followed, but a folder already
    visited (by its real path) is not entered again, so a symlink back to a folder above it ends
    there, silently: its files are listed once, under their own path rather than the symlink's. A symlink that cannot be
    resolved — dangling, or a loop of links (`ln -s loop loop`) — is listed like a file, inside a
    folder or named directly, so that reading it records an `unreadable` rejection. Hidden files and
    folders (name starting with '.') are skipped inside folders, not when named directly.
    """
    found: dict[str, Path] = {}
    visited_dirs: set[str] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            raise PathNotFoundError(f"{display_path(given)}: no such file or folder; check the path and try again")
        if path.is_dir():
            for file in _walk(path, visited_dirs):
                found.setdefault(str(file), file)
        elif path.is_file() or path.is_symlink():
            file = Path(os.path.abspath(path))
            found.setdefault(str(file), file)
    return [found[key] for key in sorted(found)]


def _walk(root: Path, visited_dirs: set[str]) -> Iterator[Path]:
    """Depth first, in name order; folders reached through a symlink only after every other one, so that
    a folder reached both ways is listed under its own path."""
    stack = [Path(os.path.abspath(root))]
    through_symlinks: list[Path] = []
    while stack or through_symlinks:
        folder = stack.pop() if stack else through_symlinks.pop()
        real = os.path.realpath(folder)
        if real in visited_dirs:
            continue
        visited_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    (through_symlinks if entry.is_symlink() else stack).append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True) or (entry.is_symlink() and not os.path.exists(entry.path)):
                    # A dangling symlink is yielded so that reading it records a rejection.
                    yield Path(entry.path)
            except OSError:
                if entry.is_symlink():
                    # A loop of symlinks (ELOOP): yielded so that reading it records a rejection.
                    yield Path(entry.path)
