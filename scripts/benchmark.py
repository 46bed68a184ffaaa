#!/usr/bin/env python3
"""Benchmark: generate N synthetic reports from the sample corpus and time `zfxxgk ingest` and `zfxxgk run`.

Each synthetic report is a sample report or a table fixture (tests/fixtures/tables: format_2019/2021 tables in
tabs, markdown, PDF-style text and run-together cells on one line) with its digits re-drawn (so no two are the same,
and the runs of digits break their arithmetic: the splitter's worst case); one in ten is written in GB18030, the rest
in UTF-8. Each opens with a title line that names its issuer (a county's 人民政府, 教育局 ... from the division seed)
and year: one report per issuer and year, twelve consecutive years per issuer, as a real corpus is shaped (the
incremental build's cross-year scope depends on that shape). Every command runs in a fresh process; the figures
are wall-clock reports per second and the peak memory: the largest sum of resident set sizes of the command's
process tree (the command and its worker processes), sampled every 20 ms. Ingest steps run
--repeat times (default 3) and the median is printed: a shared machine's timings vary from run to run.

With --mixed SHARE (e.g. 0.3), that share of the reports is written as HTML pages (GBK, navigation around, lines
with tabs as <table> rows), DOCX and PDF files (reportlab's CID font, tab lines drawn as ruled tables), a third each,
so that the readers and their table cells are timed too.

With --spark, DuckDB's fresh run is timed beside the same build on a local Spark (dbt-spark, method session: the
models, seeds and data tests of `zfxxgk run`), after an ingest lands the corpus as a Parquet lake: run it with
.venv-spark's Python (`make spark`), whose Spark takes ZFXXGK_SPARK_CORES and ZFXXGK_SPARK_MEMORY (docs/spark.md).

Usage: python scripts/benchmark.py [--reports N] [--workdir bench] [--mixed SHARE] [--spark]
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from process_memory import tree_rss

from zfxxgk.publish import work_database_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
TABLE_FIXTURES = ROOT / "tests" / "fixtures" / "tables"
DIGIT = re.compile(r"\d")


ISSUER_KINDS = ("人民政府", "教育局", "财政局", "自然资源局", "卫生健康委员会")
FIRST_YEAR, YEARS = 2013, 12


@functools.cache
def county_names() -> list[str]:
    """The county-level division names of the project's seed (the synthetic issuers' places)."""
    with (ROOT / "seeds" / "reference" / "admin_divisions.csv").open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle) if row["level"] == "county"]
    return sorted(set(names))


def issuer_title(issuer_no: int, year: int) -> str:
    """The title line of a synthetic issuer's report: a county's body (a place and a kind) and the year."""
    counties = county_names()
    place = counties[issuer_no % len(counties)]
    kind = ISSUER_KINDS[issuer_no // len(counties) % len(ISSUER_KINDS)]
    return f"{place}{kind}{year}年政府信息公开工作年度报告\n"


def generate_corpus(
    folder: Path, n_reports: int, seed: int = 20261122, mixed: float = 0.0, year: int | None = None
) -> None:
    """Write n_reports files to folder: sample and fixture texts with re-drawn digits, a tenth in GB18030.

    Each report opens with a title line naming its issuer and year, as a real corpus has them: one report per
    issuer and year, each issuer with YEARS consecutive years (report i is issuer i // YEARS's report of year
    FIRST_YEAR + i % YEARS). With `year`, report i is issuer i's report of that year (a year's new reports)."""
    templates = sorted(SAMPLE.glob("*.txt")) + sorted(TABLE_FIXTURES.glob("*.txt"))
    samples = [path.read_text(encoding="utf-8") for path in templates]
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
        title = issuer_title(i, year) if year else issuer_title(i // YEARS, FIRST_YEAR + i % YEARS)
        text = title + text
        encoding = "gb18030" if i % 10 == 0 else "utf-8"
        if mixed and (i * 7919 % 1000) < mixed * 1000:
            kind = ("html", "docx", "pdf")[i % 3]
            WRITERS[kind](folder / f"report_{i:06d}.{kind}", text)
        else:
            (folder / f"report_{i:06d}.txt").write_bytes(text.encode(encoding))


def _blocks(text: str) -> list[tuple[str, list[list[str]] | str]]:
    """Paragraphs and tables (runs of lines with tabs) of a text."""
    blocks: list[tuple[str, list[list[str]] | str]] = []
    for line in text.splitlines():
        if "\t" in line:
            if not blocks or blocks[-1][0] != "table":
                blocks.append(("table", []))
            blocks[-1][1].append(line.split("\t"))  # type: ignore[union-attr]
        elif line.strip():
            blocks.append(("p", line))
    return blocks


def write_html(path: Path, text: str) -> None:
    import html

    parts = []
    for kind, block in _blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(block)}</p>")  # type: ignore[arg-type]
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block)
            parts.append(f'<table border="1">{rows}</table>')
    page = (
        '<html><head><meta charset="gbk"><title>政府信息公开年报</title></head><body>'
        '<div class="nav"><a href="/">首页</a><a>政务公开</a></div><div class="breadcrumb">当前位置：首页</div>'
        f'<div id="zoom">{"".join(parts)}</div><div class="footer">版权所有 <a>网站地图</a></div></body></html>'
    )
    path.write_bytes(page.encode("gb18030"))


def write_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for kind, block in _blocks(text):
        if kind == "p":
            document.add_paragraph(block)  # type: ignore[arg-type]
        else:
            width = max(len(row) for row in block)
            table = document.add_table(rows=len(block), cols=width)
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.save(str(path))


def write_pdf(path: Path, text: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    y = height - 50

    def room(needed: float) -> None:
        nonlocal y
        if y - needed < 50:
            pdf.showPage()
            y = height - 50
        pdf.setFont("STSong-Light", 8)

    for kind, block in _blocks(text):
        if kind == "p":
            for start in range(0, len(block), 60):  # type: ignore[arg-type]
                room(12)
                pdf.drawString(40, y, block[start : start + 60])  # type: ignore[index]
                y -= 12
            continue
        columns = max(len(row) for row in block)
        cell_width = (width - 80) / columns
        for row in block:
            room(14)
            for c in range(columns + 1):
                pdf.line(40 + c * cell_width, y + 10, 40 + c * cell_width, y - 4)
            pdf.line(40, y + 10, 40 + columns * cell_width, y + 10)
            pdf.line(40, y - 4, 40 + columns * cell_width, y - 4)
            for c, value in enumerate(row):
                pdf.drawString(42 + c * cell_width, y, value[: max(1, int(cell_width / 8))])
            y -= 14
    pdf.showPage()
    pdf.save()


WRITERS = {"html": write_html, "docx": write_docx, "pdf": write_pdf}


def timed(command: list[str], output: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run command with its output in `output`; return (seconds, peak MB of the summed RSS of its process tree)."""
    started = time.perf_counter()
    with output.open("wb") as sink:
        process = psutil.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{output.read_text(errors='replace')[-4000:]}")
    return seconds, peak / 1024 / 1024


PUBLISHED = re.compile(r"^published .* \(([\d,.]+) MB in ([\d.]+) s", re.M)


def fresh(db: Path) -> Path:
    """`db` with neither its published file nor its work folder."""
    db.unlink(missing_ok=True)
    shutil.rmtree(work_database_path(db).parent, ignore_errors=True)
    return db


def bare_scan(folder: Path) -> float:
    """Seconds to read every file of `folder`, decode it (UTF-8, else GB18030) and run one DuckDB regular expression
    over the texts: the floor any pipeline pays, against which the runs are compared."""
    import duckdb
    import pyarrow as pa

    started = time.perf_counter()
    texts = []
    for path in sorted(path for path in folder.rglob("*") if path.is_file()):
        data = path.read_bytes()
        try:
            texts.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(data.decode("gb18030", errors="replace"))
    table = pa.table({"text": texts})
    con = duckdb.connect()
    con.register("texts", table)
    con.execute("select sum(len(regexp_extract_all(text, '[0-9]+'))) from texts").fetchone()
    con.close()
    return time.perf_counter() - started


def change_corpus(folder: Path, share: float, seed: int = 20261202) -> int:
    """Add `share` x N new reports (the next year's, FIRST_YEAR + YEARS, of the first issuers) and rewrite (new
    digits below the title) `share` x N existing ones: a year's trickle of new and corrected files. Returns the
    number of files touched."""
    existing = sorted(folder.glob("*.txt"))
    count = max(1, round(len(list(folder.iterdir())) * share))
    rng = random.Random(seed)
    generate_corpus(folder / f"added_{seed}", count, seed=seed, year=FIRST_YEAR + YEARS)
    for path in rng.sample(existing, count):
        text = path.read_bytes().decode("gb18030" if path.name.endswith("0.txt") else "utf-8", errors="replace")
        title, _, body = text.partition("\n")
        path.write_text(title + "\n" + DIGIT.sub(lambda _: str(rng.randrange(10)), body), encoding="utf-8")
    return 2 * count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=int(os.environ.get("BENCH_REPORTS", 10_000)))
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each ingest step (median)")
    parser.add_argument("--mixed", type=float, default=0.0, help="share of reports as HTML, DOCX and PDF (0-1)")
    parser.add_argument(
        "--spark",
        action="store_true",
        help="time the same corpus on a local Spark beside DuckDB (run with .venv-spark's Python: docs/spark.md)",
    )
    args = parser.parse_args()

    corpus = args.workdir / "corpus"
    if args.workdir.exists():
        shutil.rmtree(args.workdir)
    print(f"generating {args.reports:,} reports in {corpus} ...", flush=True)
    generate_corpus(corpus, args.reports, mixed=args.mixed)

    os.sync()  # the generated files are flushed before anything is timed

    zfxxgk = str(Path(sys.executable).with_name("zfxxgk"))
    results: dict[str, object] = {"reports": args.reports, "cores": os.cpu_count(), "mixed": args.mixed}

    def fresh_ingest() -> list[str]:
        return [zfxxgk, "ingest", str(corpus), "--db", str(fresh(args.workdir / "ingest.duckdb")), "--no-progress"]

    def ingest_again() -> list[str]:
        return [zfxxgk, "ingest", str(corpus), "--db", str(args.workdir / "ingest.duckdb"), "--no-progress"]

    def fresh_run() -> list[str]:
        return [zfxxgk, "run", str(corpus), "--db", str(fresh(args.workdir / "run.duckdb")), "--no-progress"]

    def run_again() -> list[str]:
        return [zfxxgk, "run", str(corpus), "--db", str(args.workdir / "run.duckdb"), "--no-progress"]

    def run_changed() -> list[str]:
        touched = change_corpus(corpus, 0.01)
        print(f"  ({touched} files added or rewritten: 1% new, 1% replaced)", flush=True)
        return run_again()

    scan = statistics.median(bare_scan(corpus) for _ in range(args.repeat))
    results["bare scan (read, decode, one regex)"] = {"seconds": round(scan, 2)}
    print(f"bare scan: {scan:.2f} s (read, decode and one DuckDB regex over the {args.reports:,} files)")

    def lake_ingest() -> list[str]:
        lake_db = fresh(args.workdir / "landing.duckdb")
        shutil.rmtree(args.workdir / "lake", ignore_errors=True)
        lake = str(args.workdir / "lake")
        return [zfxxgk, "ingest", str(corpus), "--db", str(lake_db), "--lake", lake, "--no-progress"]

    spark_dir = args.workdir / "spark"

    def spark_build() -> list[str]:
        shutil.rmtree(spark_dir, ignore_errors=True)
        return [
            str(Path(sys.executable).with_name("dbt")),
            *("build", "--full-refresh", "--exclude-resource-type", "unit_test"),
            *("--project-dir", str(ROOT), "--profiles-dir", str(ROOT)),
            *("--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs")),
        ]

    spark_env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "ZFXXGK_TARGET": "spark",
        "ZFXXGK_LAKE": str(args.workdir / "lake"),
        "ZFXXGK_SPARK_DIR": str(spark_dir),
        "ZFXXGK_SPARK_PYTHON": sys.executable,
    }
    environments = {"Spark: dbt build (local)": spark_env}

    steps = [
        ("ingest", fresh_ingest, args.repeat),
        ("ingest again (unchanged)", ingest_again, args.repeat),
        ("run (ingest + dbt build)", fresh_run, 1),
        ("run again (unchanged)", run_again, 1),
        ("run with 1% new + 1% replaced", run_changed, 1),
    ]
    if args.spark:
        # DuckDB's fresh run beside Spark's: the lake landed by an ingest, then the same models, seeds and data tests
        steps = [
            ("run (ingest + dbt build)", fresh_run, 1),
            ("ingest into a Parquet lake", lake_ingest, 1),
            ("Spark: dbt build (local)", spark_build, 1),
        ]
    fresh_seconds = None
    print(f"{'step':<30}{'seconds':>10}{'reports/s':>12}{'peak MB':>10}{'x scan':>8}{'% fresh':>9}")
    for name, command, repeat in steps:
        output = args.workdir / "last_command.log"
        timings = [timed(command(), output, environments.get(name)) for _ in range(repeat)]
        seconds = statistics.median(t[0] for t in timings)
        peak_mb = max(t[1] for t in timings)
        rate = args.reports / seconds
        if name.startswith("run ("):
            fresh_seconds = seconds
        share = f"{100 * seconds / fresh_seconds:.1f}" if fresh_seconds and name.startswith("run") else ""
        results[name] = {
            "seconds": round(seconds, 2),
            "reports_per_second": round(rate),
            "peak_mb": round(peak_mb),
            "runs": [round(t[0], 2) for t in timings],
            "times_bare_scan": round(seconds / scan, 1),
            "percent_of_fresh_run": float(share) if share else None,
        }
        print(f"{name:<30}{seconds:>10.2f}{rate:>12,.0f}{peak_mb:>10,.0f}{seconds / scan:>8.1f}{share:>9}", flush=True)
        published = PUBLISHED.search(output.read_text(errors="replace"))
        if published:
            megabytes, publish_seconds = float(published[1].replace(",", "")), float(published[2])
            results[name]["publish"] = {"megabytes": megabytes, "seconds": publish_seconds}
            print(f"{'  of it publishing':<30}{publish_seconds:>10.2f}{'':>12}{'':>10}   ({megabytes:,.1f} MB file)")
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
