"""The unit of work of an ingest worker: read, decode and normalize a chunk of files into one frame.

Imported by spawned worker processes, so it imports nothing heavy beyond polars (no DuckDB).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from ingest.normalize import normalize_texts
from ingest.read import LoadedFile, ReadTask, UnchangedFile, read_file
from ingest.rejections import Rejection

CHUNK_COLUMNS: dict[str, type[pl.DataType]] = {
    "report_id": pl.String,
    "source_path": pl.String,
    "file_hash": pl.String,
    "byte_size": pl.Int64,
    "encoding": pl.String,
    "has_bom": pl.Boolean,
    "decode_note": pl.String,
    "script": pl.String,
    "raw_text_if_changed": pl.String,
    "text": pl.String,
    "reader": pl.String,
    "reader_version": pl.String,
}
"""One row per loaded file. `raw_text_if_changed` is null when normalization changed nothing (most
files): the landing SQL stores `coalesce(raw_text_if_changed, text)`, so half the bytes cross
between processes."""


@dataclass
class ChunkResult:
    loaded: pl.DataFrame
    unchanged: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.loaded.height + len(self.unchanged) + len(self.rejections)


def report_id(text: str) -> str:
    """A report's identity: the first 16 hex digits of the SHA-256 of its normalized text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _report_ids(loaded: list[LoadedFile], texts: pl.Series, raw_text_if_changed: pl.Series) -> list[str]:
    """report_id per file. When the file is clean UTF-8 without BOM and normalization changed nothing,
    its bytes are the UTF-8 of its text, so the file hash already is the text's hash."""
    unchanged = raw_text_if_changed.is_null().to_list()
    ids = [
        f.file_hash[:16] if same and f.encoding == "utf-8" and not f.has_bom and f.decode_note is None else ""
        for f, same in zip(loaded, unchanged, strict=True)
    ]
    missing = [i for i, value in enumerate(ids) if not value]
    for i, text in zip(missing, texts.gather(missing), strict=True):
        ids[i] = report_id(text)
    return ids


def read_chunk(tasks: Sequence[ReadTask]) -> ChunkResult:
    """Read and normalize a chunk of files."""
    loaded: list[LoadedFile] = []
    result = ChunkResult(loaded=pl.DataFrame(schema=CHUNK_COLUMNS))
    for task in tasks:
        outcome = read_file(task)
        if isinstance(outcome, LoadedFile):
            loaded.append(outcome)
        elif isinstance(outcome, UnchangedFile):
            result.unchanged.append(outcome.source_path)
        else:
            result.rejections.append(outcome)
    if not loaded:
        return result
    raw_text = pl.Series("raw_text", [f.raw_text for f in loaded], pl.String)
    normalized = normalize_texts(raw_text)
    texts = normalized.get_column("text")
    raw_text_if_changed = pl.select(pl.when(raw_text != texts).then(raw_text)).to_series()
    result.loaded = pl.DataFrame(
        {
            "report_id": _report_ids(loaded, texts, raw_text_if_changed),
            "source_path": [f.source_path for f in loaded],
            "file_hash": [f.file_hash for f in loaded],
            "byte_size": [f.byte_size for f in loaded],
            "encoding": [f.encoding for f in loaded],
            "has_bom": [f.has_bom for f in loaded],
            "decode_note": [f.decode_note for f in loaded],
            "script": normalized.get_column("script"),
            "raw_text_if_changed": raw_text_if_changed,
            "text": texts,
            "reader": [f.reader for f in loaded],
            "reader_version": [f.reader_version for f in loaded],
        },
        schema=CHUNK_COLUMNS,
    )
    return result
