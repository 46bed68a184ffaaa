"""An ingest run: discover files, read and normalize them (in worker processes for big batches),
land them batch by batch, and report what happened."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from ingest.chunk import ChunkResult, read_chunk, warm_up
from ingest.config import PARALLEL_MIN_FILES, PROGRESS_MIN_FILES, IngestSettings
from ingest.discover import discover_files
from ingest.land import BatchCounts, connect, known_file_hashes, land_batch
from ingest.read import ReadTask
from ingest.rejections import Rejection

CHUNK_SIZE = 256
"""Files per unit of work handed to a worker process (read, decode and normalize together)."""


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
    with _worker_pool(len(files), settings) as pool:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = connect(str(db_path))
        try:
            known = {} if settings.force else known_file_hashes(con)
            tasks = [ReadTask(str(f), known.get(str(f)), settings.max_file_bytes) for f in files]
            chunks = [tasks[i : i + CHUNK_SIZE] for i in range(0, len(tasks), CHUNK_SIZE)]
            results = pool.map(read_chunk, chunks) if pool else map(read_chunk, chunks)
            show_progress = settings.show_progress
            if show_progress is None:
                show_progress = len(files) > PROGRESS_MIN_FILES
            totals = BatchCounts()
            rejections: list[Rejection] = []
            with tqdm(total=len(files), unit="file", disable=not show_progress, file=sys.stderr) as progress:
                for batch in _batches(results, settings.batch_size):
                    loaded = pa.concat_tables([chunk.loaded for chunk in batch])
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


@contextmanager
def _worker_pool(n_files: int, settings: IngestSettings) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for big batches (None: read in this process), started and warmed up at once
    so that they import their modules while this process opens the database."""
    workers = settings.workers or (os.cpu_count() or 1)
    if workers <= 1 or n_files < PARALLEL_MIN_FILES:
        yield None
        return
    # Not fork: forking a process whose polars/DuckDB thread pools run can deadlock. A fork server
    # imports the reading modules once, before any thread starts, and forks the workers from there.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ingest.chunk", "ingest.normalize", "ingest.readers.plain_text"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for _ in range(workers):
            pool.submit(warm_up)
        yield pool


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
