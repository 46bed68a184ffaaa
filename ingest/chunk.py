"""The unit of work of an ingest worker: read, decode and normalize a chunk of files into one frame.

The process that lands batches imports this module too (for ChunkResult), so polars and the
normalizer are imported inside read_chunk: only processes that read files pay for them.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

from ingest.read import LoadedFile, ReadTask, UnchangedFile, read_file
from ingest.rejections import Rejection

if TYPE_CHECKING:
    import polars as pl

CHUNK_COLUMNS: dict[str, str] = {
    "report_id": "String",
    "source_path": "String",
    "file_hash": "String",
    "byte_size": "Int64",
    "encoding": "String",
    "has_bom": "Boolean",
    "decode_note": "String",
    "script": "String",
    "raw_text_if_changed": "String",
    "text": "String",
    "reader": "String",
    "reader_version": "String",
    "source_url": "String",
}
"""One row per loaded file. `raw_text_if_changed` is null when normalization changed nothing (most
files): the landing SQL stores `coalesce(raw_text_if_changed, text)`, so half the bytes cross
between processes."""

CELL_COLUMNS: dict[str, str] = {
    "report_id": "String",
    "source_path": "String",
    "table_no": "Int32",
    "row_no": "Int32",
    "col_no": "Int32",
    "cell_text": "String",
}
"""One row per table cell a reader handed over (ingest.tables.TableCell), normalized like the texts."""

PAGE_COLUMNS: dict[str, str] = {
    "report_id": "String",
    "source_path": "String",
    "page_no": "Int32",
    "first_line_no": "Int32",
    "line_count": "Int32",
}
"""One row per page of a paged document (PDF): the line of the normalized text the page starts on (1-based, as
stg_report_lines numbers the text's lines) and how many lines it gives (0 for a page without text)."""


@dataclass
class ChunkResult:
    loaded: pa.Table
    """Loaded files as Arrow (CHUNK_COLUMNS): converted here, in the worker, so that the process that
    lands the batch only concatenates and scans."""
    unchanged: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    cells: pa.Table | None = None
    """Table cells of the loaded files (CELL_COLUMNS), None when no reader handed over any."""
    pages: pa.Table | None = None
    """Pages of the loaded paged documents (PAGE_COLUMNS), None when there are none."""

    @property
    def size(self) -> int:
        return self.loaded.num_rows + len(self.unchanged) + len(self.rejections)


def report_id(text: str) -> str:
    """A report's identity: the first 16 hex digits of the SHA-256 of its normalized text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _report_ids(loaded: list[LoadedFile], texts: pl.Series, raw_text_if_changed: pl.Series) -> list[str]:
    """report_id per file. When the reader's text is the file's bytes decoded as UTF-8 (a clean UTF-8 text file)
    and normalization changed nothing, those bytes are the UTF-8 of the text, so the file hash already is the text's
    hash. Any other file (an HTML page, a PDF, an Office document: its bytes are markup, not the text) is hashed
    from its normalized text, so that the same text read from any format is one report."""
    unchanged = raw_text_if_changed.is_null().to_list()
    ids = [f.file_hash[:16] if same and f.is_file_bytes else "" for f, same in zip(loaded, unchanged, strict=True)]
    missing = [i for i, value in enumerate(ids) if not value]
    for i, text in zip(missing, texts.gather(missing), strict=True):
        ids[i] = report_id(text)
    return ids


def warm_up() -> None:
    """Import what read_chunk needs and build the normalizer's tables (run once per worker at start)."""
    from ingest.normalize import traditional_only_pattern
    from ingest.readers import load_readers

    load_readers()
    traditional_only_pattern()


def read_chunk(tasks: Sequence[ReadTask]) -> ChunkResult:
    """Read and normalize a chunk of files."""
    # The chunk allocates many small objects and no reference cycles: the cyclic garbage collector
    # would only walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_chunk(tasks)
    finally:
        if collecting:
            gc.enable()


def _read_chunk(tasks: Sequence[ReadTask]) -> ChunkResult:
    import polars as pl

    from ingest.normalize import normalize_texts

    schema = {name: getattr(pl, dtype) for name, dtype in CHUNK_COLUMNS.items()}
    loaded: list[LoadedFile] = []
    result = ChunkResult(loaded=pl.DataFrame(schema=schema).to_arrow())
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
    frame = pl.DataFrame(
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
            "source_url": [f.source_url for f in loaded],
        },
        schema=schema,
    )
    result.loaded = frame.to_arrow()
    if any(f.cells for f in loaded):
        result.cells = _cells_frame(loaded, frame.get_column("report_id")).to_arrow()
    if any(f.page_line_counts for f in loaded):
        result.pages = _pages_frame(loaded, frame.get_column("report_id")).to_arrow()
    return result


def _pages_frame(loaded: list[LoadedFile], report_ids: pl.Series) -> pl.DataFrame:
    """The pages of the paged documents as one frame: each page's first line in the text and its line count."""
    import polars as pl

    rows: dict[str, list] = {name: [] for name in PAGE_COLUMNS}
    for f, report in zip(loaded, report_ids, strict=True):
        first_line_no = 1
        for page_no, line_count in enumerate(f.page_line_counts, start=1):
            rows["report_id"].append(report)
            rows["source_path"].append(f.source_path)
            rows["page_no"].append(page_no)
            rows["first_line_no"].append(first_line_no)
            rows["line_count"].append(line_count)
            first_line_no += line_count
    schema = {name: getattr(pl, dtype) for name, dtype in PAGE_COLUMNS.items()}
    return pl.DataFrame(rows, schema=schema)


def _cells_frame(loaded: list[LoadedFile], report_ids: pl.Series) -> pl.DataFrame:
    """The readers' cells as one frame, their texts normalized like the report texts (one call per chunk)."""
    import polars as pl

    from ingest.normalize import normalize_texts

    owners = [i for i, f in enumerate(loaded) for _ in f.cells]
    cells = [cell for f in loaded for cell in f.cells]
    table_no, row_no, col_no, cell_text = zip(*cells, strict=True)
    schema = {name: getattr(pl, dtype) for name, dtype in CELL_COLUMNS.items()}
    return pl.DataFrame(
        {
            "report_id": report_ids.gather(owners),
            "source_path": pl.Series([loaded[i].source_path for i in owners], dtype=pl.String),
            "table_no": table_no,
            "row_no": row_no,
            "col_no": col_no,
            "cell_text": normalize_texts(pl.Series("raw_text", cell_text, pl.String)).get_column("text"),
        },
        schema=schema,
    )
