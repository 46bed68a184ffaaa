"""The reader registry: one module per file format, chosen by file extension.

A reader module defines a class with `name`, `version`, `extensions` and `read(data, path)` and
registers an instance with `register(...)` at import time. Every module in this package is imported
by `load_readers()`, so a new format (HTML, PDF, DOCX) is one new module here and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from ingest.tables import TableCell


@dataclass(frozen=True)
class ReadResult:
    """What a reader makes of one file's bytes."""

    raw_text: str
    encoding: str
    has_bom: bool = False
    decode_note: str | None = None
    cells: tuple[TableCell, ...] = ()
    """The cells of the tables the reader kept as tables (spans expanded), landed in raw.report_table_cells.
    The text holds the same tables as lines, for prose, sections and evidence."""
    is_file_bytes: bool = False
    """True when `raw_text` is exactly the file's bytes decoded as UTF-8 (no BOM, nothing replaced or dropped):
    only then is the file hash the hash of the text. Readers that extract text (HTML, PDF, Office) leave it False."""


class Reader(Protocol):
    name: str
    version: str
    extensions: tuple[str, ...]
    """Lower-case extensions with the dot, e.g. ('.txt',). What the content of a binary format must
    start with is in ingest/sniff.py (EXPECTED_KIND), checked before the reader is called."""

    def read(self, data: bytes, path: Path) -> ReadResult:
        """Turn the file's bytes into text, or raise RejectedFileError."""
        ...


_REGISTRY: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Make `reader` the reader of its extensions."""
    for extension in reader.extensions:
        _REGISTRY[extension.lower()] = reader
    return reader


@cache
def load_readers() -> dict[str, Reader]:
    """Import every reader module of this package once; return extension -> reader."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(_REGISTRY)


def reader_for(path: Path) -> Reader | None:
    return load_readers().get(path.suffix.lower())


def current_readers() -> dict[str, tuple[str, str]]:
    """extension -> (reader name, reader version): a report read by an older version of its reader is read again."""
    return {extension: (reader.name, reader.version) for extension, reader in load_readers().items()}


def supported_extensions() -> list[str]:
    return sorted(load_readers())
