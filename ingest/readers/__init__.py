"""The reader registry: one module per file format, chosen by file extension.

A reader module defines a class with `name`, `version`, `extensions` and `read(data, path)` and
registers an instance with `register(...)` at import time. Every module in this package is imported
by `load_readers()`, so a new format (HTML, PDF, DOCX) is one new module here and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from ingest.rejections import RejectedFileError, RejectionReason
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
    page_line_counts: tuple[int, ...] = ()
    """For a paged document (PDF): how many lines of the text each page gives, page by page, in the text as
    normalized (ingest.normalize), landed in raw.report_pages. Empty for formats without pages."""
    source_url: str | None = None
    """The address of the page the file was saved from, when the file names it (an HTML page's canonical link,
    og:url or the `saved from url=` comment browsers write); None otherwise."""
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

_TEXT_LIMIT: ContextVar[int | None] = ContextVar("text_limit", default=None)
"""The most characters of text a reader may produce from one file: the file size limit (--max-file-mb), one
character per byte. A text file never decodes to more characters than it has bytes, so the limit only stops a
format whose text can outgrow the file (compressed PDF content streams, a workbook's shared strings)."""


@contextmanager
def text_limit(max_chars: int) -> Iterator[None]:
    """Let the readers called inside produce at most `max_chars` characters (ingest.read sets it for every file)."""
    token = _TEXT_LIMIT.set(max_chars)
    try:
        yield
    finally:
        _TEXT_LIMIT.reset(token)


def text_over_limit(chars: int, where: str) -> RejectedFileError | None:
    """The too_large rejection for a reader that has produced `chars` characters of text so far (`where`: how far
    it got), or None while that is within the limit. A reader whose text can outgrow its file checks as it goes, so
    that a bomb stops before it fills memory; ingest.read checks every reader's text once it is done."""
    limit = _TEXT_LIMIT.get()
    if limit is None or chars <= limit:
        return None
    detail = f"{chars:,} characters of text produced {where}, over the limit of {limit:,} (the file size limit)"
    return RejectedFileError(RejectionReason.TOO_LARGE, detail)


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
