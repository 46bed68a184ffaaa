"""An ingest run: discover files, read and normalize them (in worker processes for big batches),
land them batch by batch, and report what happened."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from ingest.chunk import ChunkResult, read_chunk, warm_up
from ingest.config import PARALLEL_MIN_FILES, PROGRESS_MIN_FILES, IngestSettings
from ingest.discover import NoReportFilesError, discover_files
from ingest.display import display_path, display_text
from ingest.lake import Lake, LakeSummary, check_lake_outside
from ingest.land import BatchCounts, connect, known_file_hashes, land_batch
from ingest.parent_watch import watch_parent
from ingest.prune import MissingFiles, missing_files, missing_paths
from ingest.read import ReadTask
from ingest.readers import current_readers
from ingest.rejections import Rejection

CHUNK_SIZE = 256
"""Files per unit of work handed to a worker process (read, decode and normalize together)."""
CHUNK_BYTES = 64 * 1024 * 1024
"""...or fewer files when they weigh more than this together (big files keep memory bounded)."""
BATCH_BYTES = 512 * 1024 * 1024
"""A batch is landed once it holds batch_size files or this much Arrow data, whichever comes first."""
CHUNKS_IN_FLIGHT_PER_WORKER = 4
"""Chunks handed out ahead of the landing: enough to keep workers busy, few enough to bound memory."""


@dataclass
class IngestSummary:
    db_path: Path
    files: int
    counts: BatchCounts
    rejections: list[Rejection]
    seconds: float
    missing: MissingFiles | None = None
    lake: LakeSummary | None = None

    def describe(self) -> str:
        c = self.counts
        missing = self.missing.describe() if self.missing else ""
        return (
            f"{self.files} file(s) in {self.seconds:.1f}s: {c.new} new, {c.duplicate} duplicate(s) of a loaded "
            f"report, {c.unchanged} unchanged, {c.replaced} replaced, {c.rejected} rejected"
            + (" (see raw.ingest_rejections)" if c.rejected else "")
            + (f"\n{missing}" if missing else "")
            + f"\ndatabase: {display_path(self.db_path)}"
            + (f"\n{self.lake.describe()}" if self.lake else "")
        )


def ingest_paths(
    paths: Sequence[str | os.PathLike[str]],
    db_path: Path,
    settings: IngestSettings | None = None,
    warn: Callable[[str], None] | None = None,
    lake_dir: Path | None = None,
) -> IngestSummary:
    """Ingest every file under `paths` into the DuckDB file at `db_path`, and with `lake_dir`, add what changed
    in its raw tables to the Parquet lake there (ingest.lake).

    Raise NoReportFilesError, before opening the database, when the paths hold no file: an empty folder lands
    nothing and prunes nothing (with --prune every landed file under it would count as gone)."""
    settings = settings or IngestSettings()
    warn = warn or (lambda message: print(message, file=sys.stderr))
    started = time.perf_counter()
    if lake_dir is not None:
        check_lake_outside(lake_dir, paths)
    files = discover_files(paths)
    if not files:
        raise NoReportFilesError(paths)
    with _worker_pool(len(files), settings) as pool:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = connect(str(db_path))
        try:
            lake = Lake(con, lake_dir) if lake_dir is not None else None
            known = {} if settings.force else known_file_hashes(con, current_readers())
            tasks = [ReadTask(str(f), known.get(str(f)), settings.max_file_bytes) for f in files]
            chunks = _plan_chunks(tasks, settings.max_file_bytes)
            if pool:
                results = _bounded_map(pool, read_chunk, chunks, CHUNKS_IN_FLIGHT_PER_WORKER * _workers(settings))
            else:
                results = map(read_chunk, chunks)
            show_progress = settings.show_progress
            if show_progress is None:
                show_progress = len(files) > PROGRESS_MIN_FILES
            totals = BatchCounts()
            rejections: list[Rejection] = []
            with tqdm(total=len(files), unit="file", disable=not show_progress, file=sys.stderr) as progress:
                for batch in _batches(_counted(results, progress), settings.batch_size):
                    loaded = pa.concat_tables([chunk.loaded for chunk in batch])
                    cells = [chunk.cells for chunk in batch if chunk.cells is not None]
                    pages = [chunk.pages for chunk in batch if chunk.pages is not None]
                    unchanged = [path for chunk in batch for path in chunk.unchanged]
                    rejected = [r for chunk in batch for r in chunk.rejections]
                    with _lake_batch(
                        lake,
                        loaded.column("report_id").to_pylist(),
                        [*loaded.column("source_path").to_pylist(), *unchanged, *(r.source_path for r in rejected)],
                    ):
                        totals.add(
                            land_batch(
                                con,
                                loaded,
                                unchanged,
                                rejected,
                                pa.concat_tables(cells) if cells else None,
                                pa.concat_tables(pages) if pages else None,
                            )
                        )
                    for rejection in rejected:
                        warn(
                            f"warning: rejected {display_path(rejection.source_path)}: {rejection.reason}: "
                            f"{display_text(rejection.detail)}"
                        )
                    rejections.extend(rejected)
            gone = missing_paths(con, paths, files) if lake and settings.prune else []
            with _lake_batch(lake if gone else None, [], gone):
                missing = missing_files(con, paths, files, settings.prune)
        finally:
            con.close()
    return IngestSummary(
        db_path,
        len(files),
        totals,
        rejections,
        time.perf_counter() - started,
        missing,
        lake.summary if lake else None,
    )


@contextmanager
def _lake_batch(lake: Lake | None, report_ids: list[str], source_paths: list[str]) -> Iterator[None]:
    """Around a landing: with a lake, write to it what the landing changed (ingest.lake.Lake.batch)."""
    if lake is None:
        yield
        return
    with lake.batch(report_ids, source_paths):
        yield


@contextmanager
def _worker_pool(n_files: int, settings: IngestSettings) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for big batches (None: read in this process), started and warmed up before
    the first chunk is handed out."""
    workers = _workers(settings)
    if workers <= 1 or n_files < PARALLEL_MIN_FILES:
        yield None
        return
    # Not fork: forking a process whose polars/DuckDB thread pools run can deadlock. A fork server
    # imports the reading modules once, before any thread starts, and forks the workers from there.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["ingest.chunk", "ingest.normalize", "ingest.readers.plain_text", "ingest.readers.html", "ingest.parent_watch"]
    )
    # Each worker exits when this process ends, even by kill -9 (ingest.parent_watch): this end stays open here.
    lifeline, lifeline_end = context.Pipe(duplex=False)
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=watch_parent, initargs=(lifeline,)
        ) as pool:
            # One polars thread per worker, as the workers already fill the cores. The fork server reads
            # the variable when it imports polars, and it starts (with the workers) inside submit().
            with _environment(POLARS_MAX_THREADS="1"):
                for _ in range(workers):
                    pool.submit(warm_up)
            yield pool
    finally:
        lifeline_end.close()
        lifeline.close()


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _workers(settings: IngestSettings) -> int:
    return settings.workers or (os.cpu_count() or 1)


def _plan_chunks(tasks: list[ReadTask], max_file_bytes: int) -> list[list[ReadTask]]:
    """Split the tasks into chunks of CHUNK_SIZE files or CHUNK_BYTES bytes, whichever comes first."""
    chunks: list[list[ReadTask]] = []
    chunk: list[ReadTask] = []
    chunk_bytes = 0
    for task in tasks:
        try:
            size = min(os.stat(task.source_path).st_size, max_file_bytes)
        except OSError:
            size = 0
        if chunk and (len(chunk) >= CHUNK_SIZE or chunk_bytes + size > CHUNK_BYTES):
            chunks.append(chunk)
            chunk, chunk_bytes = [], 0
        chunk.append(task)
        chunk_bytes += size
    if chunk:
        chunks.append(chunk)
    return chunks


def _bounded_map(
    pool: ProcessPoolExecutor, function: Callable[[list[ReadTask]], ChunkResult], chunks: list, window: int
) -> Iterator[ChunkResult]:
    """pool.map in order, but with at most `window` chunks submitted and not yet consumed."""
    pending: deque[Future[ChunkResult]] = deque()
    for chunk in chunks:
        if len(pending) >= window:
            yield pending.popleft().result()
        pending.append(pool.submit(function, chunk))
    while pending:
        yield pending.popleft().result()


def _counted(results: Iterable[ChunkResult], progress: tqdm) -> Iterator[ChunkResult]:
    for chunk in results:
        progress.update(chunk.size)
        yield chunk


def _batches(chunks: Iterable[ChunkResult], batch_size: int) -> Iterator[list[ChunkResult]]:
    """Group chunks into batches of at least batch_size files or BATCH_BYTES of Arrow data."""
    batch: list[ChunkResult] = []
    files = 0
    nbytes = 0
    for chunk in chunks:
        batch.append(chunk)
        files += chunk.size
        nbytes += chunk.loaded.nbytes + sum(extra.nbytes for extra in (chunk.cells, chunk.pages) if extra is not None)
        if files >= batch_size or nbytes >= BATCH_BYTES:
            yield batch
            batch, files, nbytes = [], 0, 0
    if batch:
        yield batch
