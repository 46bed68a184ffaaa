#!/usr/bin/env python3
"""Time `zfxxgk run` on a report with no line breaks: build time and peak RSS per size.

For each size, a folder holds one single-line report (the five sample texts with their line breaks removed,
repeated to SIZE MB of UTF-8) and two sample reports; `zfxxgk run` builds it in a fresh process. The peak RSS is
the largest sum of resident set sizes of the process tree (the command, its ingest workers, dbt and DuckDB in it),
sampled every 20 ms. A run over --kill-gb or --timeout is stopped and reported so.

With --no-sentence-ends the long report's sentence ends (。；！？) are written as commas: the worst case, a line
that can only be cut inside its sentences.

Usage: python scripts/measure_long_lines.py [--mb 0.5 2 8] [--workdir DIR] [--project-dir DIR] [--no-sentence-ends]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
from process_memory import tree_rss

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def write_corpus(folder: Path, size_mb: float, sentence_ends: bool = True) -> None:
    """One single-line report of size_mb MB and the first two sample reports."""
    samples = sorted(SAMPLE.glob("*.txt"))
    text = "".join(path.read_text(encoding="utf-8").replace("\n", "") for path in samples)
    if not sentence_ends:
        text = text.translate(str.maketrans("。；;！!？?", "，，，，，，，"))
    size = int(size_mb * 1024 * 1024)
    long_text = (text * (size // len(text.encode("utf-8")) + 1)).encode("utf-8")[:size].decode("utf-8", "ignore")
    folder.mkdir(parents=True)
    (folder / "long_single_line.txt").write_text(long_text, encoding="utf-8")
    for path in samples[:2]:
        shutil.copy(path, folder / path.name)


def measure(
    size_mb: float, workdir: Path, project_dir: Path, kill_gb: float, timeout: float, sentence_ends: bool = True
) -> str:
    """Build the corpus of one size: a line with the time, the peak RSS and how the run ended."""
    work = workdir / f"{size_mb:g}mb"
    shutil.rmtree(work, ignore_errors=True)
    write_corpus(work / "corpus", size_mb, sentence_ends)
    command = [
        str(Path(sys.executable).with_name("zfxxgk")),
        "run",
        str(work / "corpus"),
        "--db",
        str(work / "z.duckdb"),
    ]
    command += ["--no-progress", "--max-file-mb", "30"]
    env = {**os.environ, "ZFXXGK_PROJECT_DIR": str(project_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with (work / "run.log").open("w") as sink:
        started = time.perf_counter()
        process = psutil.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=project_dir)
        peak, stopped = 0, ""
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            if peak > kill_gb * 1024**3:
                stopped = f"stopped at {kill_gb:g} GB"
            elif time.perf_counter() - started > timeout:
                stopped = f"stopped after {timeout:g} s"
            if stopped:
                for child in process.children(recursive=True):
                    child.kill()
                process.kill()
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
    ended = stopped or ("ok" if process.wait() == 0 else f"failed ({process.returncode}), see {work / 'run.log'}")
    return f"{size_mb:g} MB: {seconds:.1f} s, peak RSS {peak / 1024**3:.2f} GB, {ended}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[0.5, 2, 8], help="sizes of the single-line report")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "long_lines")
    parser.add_argument("--project-dir", type=Path, default=ROOT, help="the dbt project to build with")
    parser.add_argument("--kill-gb", type=float, default=10.0, help="stop a run whose peak RSS passes this")
    parser.add_argument("--timeout", type=float, default=600.0, help="stop a run that takes longer (seconds)")
    parser.add_argument("--no-sentence-ends", action="store_true", help="write the sentence ends as commas")
    args = parser.parse_args()
    for size_mb in args.mb:
        line = measure(
            size_mb, args.workdir, args.project_dir.resolve(), args.kill_gb, args.timeout, not args.no_sentence_ends
        )
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
