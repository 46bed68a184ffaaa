#!/usr/bin/env python3
"""Benchmark: generate N synthetic reports from the sample corpus and time `zfxxgk ingest` and `zfxxgk run`.

Each synthetic report is a sample report with its digits re-drawn (so no two are the same); one in ten is
written in GB18030, the rest in UTF-8. Every command runs in a fresh process on a fresh database; the
figures are wall-clock reports per second and the peak resident memory of that process and its workers.

Usage: python scripts/benchmark.py [--reports N] [--workdir bench]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
DIGIT = re.compile(r"\d")


def generate_corpus(folder: Path, n_reports: int, seed: int = 20261122) -> None:
    """Write n_reports files to folder: sample texts with re-drawn digits, a tenth in GB18030."""
    samples = [path.read_text(encoding="utf-8") for path in sorted(SAMPLE.glob("*.txt"))]
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    seen: set[int] = set()
    for i in range(n_reports):
        template = samples[i % len(samples)]
        while True:
            text = DIGIT.sub(lambda _: str(rng.randrange(10)), template)
            if hash(text) not in seen:
                seen.add(hash(text))
                break
        encoding = "gb18030" if i % 10 == 0 else "utf-8"
        (folder / f"report_{i:06d}.txt").write_bytes(text.encode(encoding))


def timed(command: list[str]) -> tuple[float, float]:
    """Run command; return (seconds, peak RSS in MB of the process and its children)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=int(os.environ.get("BENCH_REPORTS", 10_000)))
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench")
    args = parser.parse_args()

    corpus = args.workdir / "corpus"
    if args.workdir.exists():
        shutil.rmtree(args.workdir)
    print(f"generating {args.reports:,} reports in {corpus} ...", flush=True)
    generate_corpus(corpus, args.reports)

    zfxxgk = str(Path(sys.executable).with_name("zfxxgk"))
    env_db = args.workdir / "ingest.duckdb"
    results = {"reports": args.reports, "cores": os.cpu_count()}
    steps = [
        ("ingest", [zfxxgk, "ingest", str(corpus), "--db", str(env_db), "--no-progress"]),
        ("ingest again (unchanged)", [zfxxgk, "ingest", str(corpus), "--db", str(env_db), "--no-progress"]),
        ("run (ingest + dbt build)", [zfxxgk, "run", str(corpus), "--db", str(args.workdir / "run.duckdb")]),
    ]
    print(f"{'step':<28}{'seconds':>10}{'reports/s':>12}{'peak MB':>10}   ({os.cpu_count()} cores)")
    for name, command in steps:
        seconds, peak_mb = timed(command)
        rate = args.reports / seconds
        results[name] = {"seconds": round(seconds, 2), "reports_per_second": round(rate), "peak_mb": round(peak_mb)}
        print(f"{name:<28}{seconds:>10.2f}{rate:>12,.0f}{peak_mb:>10,.0f}", flush=True)
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
