"""An ingest run: discover files, read and normalize them (in worker processes for big batches),
land them batch by batch, and report what happened."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from tqdm import tqdm

from ingest.config import PARALLEL_MIN_FILES, PROGRESS_MIN_FILES, IngestSettings
from ingest.discover import discover_files
from ingest.land import LOADED_COLUMNS, BatchCounts, connect, known_file_hashes, land_batch
from ingest.normalize import normalize_texts
from ingest.read import LoadedFile, ReadTask, UnchangedFile, read_file
from ingest.rejections import Rejection

CHUNK_SIZE = 250
"""Files per unit of work handed to a worker process (read, decode and normalize together)."""


@dataclass
class ChunkResult:
    loaded: pl.DataFrame
    unchanged: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.loaded.height + len(self.unchanged) + len(self.rejections)


@dataclass
class IngestSummary:
    db_path: Path
    files: int
    counts: BatchCounts
    rejections: list[Rejection]
    seconds: float

    def describe(self) -> str:
        c = self.counts
        return (
            f"{self.files} file(s) in {self.seconds:.1f}s: {c.new} new, {c.duplicate} duplicate(s) of a loaded "
            f"report, {c.unchanged} unchanged, {c.replaced} replaced, {c.rejected} rejected"
            + (" (see raw.ingest_rejections)" if c.rejected else "")
            + f"\ndatabase: {self.db_path}"
        )


def read_chunk(tasks: Sequence[ReadTask]) -> ChunkResult:
    """Read and normalize a chunk of files: the unit of work of a worker process."""
    loaded: list[LoadedFile] = []
    result = ChunkResult(loaded=pl.DataFrame())
    for task in tasks:
        outcome = read_file(task)
        if isinstance(outcome, LoadedFile):
            loaded.append(outcome)
        elif isinstance(outcome, UnchangedFile):
            result.unchanged.append(outcome.source_path)
        else:
            result.rejections.append(outcome)
    frame = pl.DataFrame(
        {
            "source_path": [f.source_path for f in loaded],
            "file_hash": [f.file_hash for f in loaded],
            "byte_size": [f.byte_size for f in loaded],
            "encoding": [f.encoding for f in loaded],
            "has_bom": [f.has_bom for f in loaded],
            "decode_note": [f.decode_note for f in loaded],
            "raw_text": [f.raw_text for f in loaded],
            "reader": [f.reader for f in loaded],
            "reader_version": [f.reader_version for f in loaded],
        },
        schema={k: v for k, v in LOADED_COLUMNS.items() if k not in ("report_id", "text", "script")},
    )
    normalized = normalize_texts(frame.get_column("raw_text"))
    report_ids = pl.Series("report_id", [report_id(text) for text in normalized.get_column("text")], pl.String)
    result.loaded = pl.concat([frame, normalized], how="horizontal").with_columns(report_ids)
    return result


def report_id(text: str) -> str:
    """A report's identity: the first 16 hex digits of the SHA-256 of its normalized text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def ingest_paths(
    paths: Sequence[str | os.PathLike[str]],
    db_path: Path,
    settings: IngestSettings | None = None,
    warn: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Ingest every file under `paths` into the DuckDB file at `db_path`."""
    settings = settings or IngestSettings()
    warn = warn or (lambda message: print(message, file=sys.stderr))
    started = time.perf_counter()
    files = discover_files(paths)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(str(db_path))
    try:
        known = {} if settings.force else known_file_hashes(con)
        tasks = [ReadTask(str(f), known.get(str(f)), settings.max_file_bytes) for f in files]
        show_progress = settings.show_progress
        if show_progress is None:
            show_progress = len(files) > PROGRESS_MIN_FILES
        totals = BatchCounts()
        rejections: list[Rejection] = []
        with tqdm(total=len(files), unit="file", disable=not show_progress, file=sys.stderr) as progress:
            for batch in _batches(_read_chunks(tasks, settings), settings.batch_size):
                loaded = pl.concat([chunk.loaded for chunk in batch]) if batch else pl.DataFrame()
                unchanged = [path for chunk in batch for path in chunk.unchanged]
                rejected = [r for chunk in batch for r in chunk.rejections]
                totals.add(land_batch(con, loaded, unchanged, rejected))
                for rejection in rejected:
                    warn(f"warning: rejected {rejection.source_path}: {rejection.reason}: {rejection.detail}")
                rejections.extend(rejected)
                progress.update(sum(chunk.size for chunk in batch))
    finally:
        con.close()
    return IngestSummary(db_path, len(files), totals, rejections, time.perf_counter() - started)


def _read_chunks(tasks: list[ReadTask], settings: IngestSettings) -> Iterator[ChunkResult]:
    chunks = [tasks[i : i + CHUNK_SIZE] for i in range(0, len(tasks), CHUNK_SIZE)]
    workers = settings.workers or (os.cpu_count() or 1)
    if workers <= 1 or len(tasks) < PARALLEL_MIN_FILES:
        yield from map(read_chunk, chunks)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(read_chunk, chunks)


def _batches(chunks: Iterator[ChunkResult], batch_size: int) -> Iterator[list[ChunkResult]]:
    batch: list[ChunkResult] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += chunk.size
        if size >= batch_size:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
