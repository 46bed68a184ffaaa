#!/usr/bin/env python3
"""Sections of pages flattened to one line: each report of a corpus as published and with its lines run together.

Sites that drop a page's line breaks print the whole report on one line (issue 17, failure class 7). This copies
every .txt report of the corpus twice into a work folder: as published, and with its lines trimmed and joined with
nothing between them. It builds one warehouse of both (`zfxxgk run`, in a fresh process) and prints, per report, the
sections of marts.fct_report_sections (count, and whether the flattened copy gives the same numbers, types and
headings as the published one), then the totals.

Usage: python scripts/measure_flattened_sections.py [--corpus ../shared/corpus/real] [--workdir /tmp/flat_sections]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
FLAT_PREFIX = "flat_"


def flatten(text: str) -> str:
    """The page with every line trimmed and the non-blank ones run together on one line."""
    return "".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


def prepare(corpus: Path, workdir: Path) -> Path:
    reports = workdir / "reports"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (reports / path.name).write_text(text, encoding="utf-8")
        (reports / f"{FLAT_PREFIX}{path.name}").write_text(flatten(text), encoding="utf-8")
    return reports


def build(reports: Path, db_path: Path) -> None:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    command = [sys.executable, "-m", "zfxxgk.cli", "run", str(reports), "--db", str(db_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)


def sections_by_file(db_path: Path) -> dict[str, list[tuple[int, str, str | None]]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            """
            select regexp_extract(reports.source_path, '[^/]+$'), sections.section_no, sections.section_type,
                sections.heading
            from marts.fct_report_sections as sections
            inner join staging.stg_reports as reports using (report_id)
            order by 1, sections.start_offset
            """
        ).fetchall()
    finally:
        con.close()
    sections: dict[str, list[tuple[int, str, str | None]]] = {}
    for file, section_no, section_type, heading in rows:
        sections.setdefault(file, []).append((section_no, section_type, heading))
    return sections


def report(sections: dict[str, list[tuple[int, str, str | None]]]) -> None:
    published = sorted(file for file in sections if not file.startswith(FLAT_PREFIX))
    print("| report | sections as published | flattened to one line | same sections |")
    print("|---|---:|---:|---|")
    same_count = 0
    for file in published:
        as_published = sections[file]
        flattened = sections.get(f"{FLAT_PREFIX}{file}", [])
        same = flattened == as_published
        same_count += same
        print(f"| {file.removesuffix('.txt')} | {len(as_published)} | {len(flattened)} | {'yes' if same else 'no'} |")
    total_published = sum(len(sections[file]) for file in published)
    total_flattened = sum(len(sections.get(f"{FLAT_PREFIX}{file}", [])) for file in published)
    print(f"| all {len(published)} | {total_published} | {total_flattened} | {same_count} of {len(published)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "real")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/flat_sections"))
    args = parser.parse_args()
    reports = prepare(args.corpus, args.workdir)
    db_path = args.workdir / "sections.duckdb"
    build(reports, db_path)
    report(sections_by_file(db_path))


if __name__ == "__main__":
    main()
