#!/usr/bin/env python3
"""Accuracy on real reports: build a warehouse from the real report openings and the three PDFs' text, and score it.

The inputs are the 30 real openings of tests/fixtures/real (copied byte for byte from ../shared/corpus/real) and the
text layers of the three real PDFs (tests/fixtures/tables/pdf_text_*.txt). The gold is tests/fixtures/real/
real_values.csv (hand-labelled table cells and prose figures; rows with confidence=low are not scored), the PDFs'
prose figures (tests/fixtures/real/pdf_prose_values.csv) and their table values (tables/pdf_text_*.expected.csv);
the metadata gold is tests/fixtures/real/real_reports.csv when it exists. The figures are those of
../shared/spec/score.py (run on the same gold) when it is found, else the same arithmetic done here.

Besides the figures, every difference from the gold is listed in tests/fixtures/real/known_differences.csv, which
tests/python/test_real_reports.py asserts exactly: `missed` (a gold value the warehouse does not give), `wrong` (a
value that differs from the gold, or a value where the gold says the text settles none) and `unlabelled` (a value
for a key the gold does not hold: a gold row is missing, or the value is one a careful reader would not take).
After a change that fixes a miss or loses a value, regenerate the list with --write-known and read its diff.

Usage: python scripts/score_real.py [--db FILE] [--no-build] [--write-known] [--list] [--spec-dir DIR] [--show N]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
REAL_DIR = ROOT / "tests" / "fixtures" / "real"
TABLE_DIR = ROOT / "tests" / "fixtures" / "tables"
GOLD_VALUES = REAL_DIR / "real_values.csv"
PDF_PROSE_VALUES = REAL_DIR / "pdf_prose_values.csv"
GOLD_REPORTS = REAL_DIR / "real_reports.csv"
KNOWN_DIFFERENCES = REAL_DIR / "known_differences.csv"
DEFAULT_SPEC_DIR = ROOT.parent / "shared" / "spec"

GOLD_COLUMNS = [
    "file",
    "indicator_code",
    "applicant_type",
    "value",
    "is_approximate",
    "source_kind",
    "evidence",
    "confidence",
]
KNOWN_COLUMNS = ["kind", "file", "indicator_code", "applicant_type", "gold_value", "warehouse_value"]
KINDS = ("missed", "wrong", "unlabelled")

Key = tuple[str, str, str]


@dataclass(frozen=True, order=True)
class Difference:
    """One way the warehouse departs from the gold, for one report x indicator x applicant type."""

    kind: str
    file: str
    indicator_code: str
    applicant_type: str
    gold_value: str
    warehouse_value: str

    def describe(self) -> str:
        key = f"{self.file} {self.indicator_code} [{self.applicant_type}]"
        gold = self.gold_value or "blank (no value)"
        return f"{self.kind:<10} {key}: gold {gold}, warehouse {self.warehouse_value or 'none'}"


def pdf_fixtures() -> list[Path]:
    """The text layers of the three real PDFs, whose table values tables/*.expected.csv list."""
    return sorted(TABLE_DIR.glob("pdf_text_*.txt"))


def build_inputs() -> list[Path]:
    """Every file the scored warehouse is built from: the real openings, then the PDFs' text."""
    return sorted(REAL_DIR.glob("*.txt")) + pdf_fixtures()


def load_gold() -> list[dict[str, str]]:
    """The gold values (real_values.csv, the PDFs' prose figures, then their table values), in one set of columns."""
    rows = []
    for path in (GOLD_VALUES, PDF_PROSE_VALUES):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [{column: row.get(column) or "" for column in GOLD_COLUMNS} for row in csv.DictReader(handle)]
    for text in pdf_fixtures():
        expected = text.with_suffix(".expected.csv")
        with expected.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {
                        "file": text.name,
                        "indicator_code": row["indicator_code"],
                        "applicant_type": row["applicant_type"],
                        "value": row["value"],
                        "is_approximate": "false",
                        "source_kind": "table",
                        "evidence": f"统计表 (tests/fixtures/tables/{expected.name})",
                        "confidence": "high",
                    }
                )
    return rows


def is_scored(row: Mapping[str, str]) -> bool:
    """score.py leaves out the gold rows whose labeller was not sure of the value."""
    return row.get("confidence", "high") != "low"


def gold_key(row: Mapping[str, str]) -> Key:
    return (row["file"], row["indicator_code"], row["applicant_type"] or "total")


def build(db: Path) -> str:
    """`zfxxgk run` on the inputs in a fresh process (dbt keeps state in the process that runs it): its output."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    command = [sys.executable, "-m", "zfxxgk.cli", "run", *map(str, build_inputs()), "--db", str(db), "--no-progress"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=1200)
    if result.returncode != 0:
        raise RuntimeError(f"the build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def warehouse_values(db: Path) -> dict[Key, Decimal]:
    """Every value of marts.fct_indicator_values, keyed like the gold (file name, code, applicant type)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """
            select r.source_path, v.indicator_code, coalesce(v.applicant_type, 'total'), v.value
            from marts.fct_indicator_values as v
            inner join marts.dim_reports as r using (report_id)
            where v.value is not null
            """
        ).fetchall()
    finally:
        con.close()
    return {(Path(path).name, code, applicant): Decimal(str(value)) for path, code, applicant, value in rows}


def format_value(value: Decimal | None) -> str:
    """A value as a reader writes it: 100, 15.279, -3 (no trailing zeros of the DECIMAL scale)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


def differences(gold: Iterable[Mapping[str, str]], got: Mapping[Key, Decimal]) -> list[Difference]:
    """Every miss, wrong value and unlabelled value of the warehouse against the scored gold, sorted."""
    gold = list(gold)
    labelled = {gold_key(row) for row in gold}  # low-confidence rows too: a value there is neither right nor wrong
    files = {Path(path).name for path in build_inputs()}
    found: list[Difference] = []
    for row in filter(is_scored, gold):
        key = gold_key(row)
        expected = row["value"].strip()
        value = got.get(key)
        if expected == "":
            if value is not None:
                found.append(Difference("wrong", *key, "", format_value(value)))
        elif value is None:
            found.append(Difference("missed", *key, expected, ""))
        elif abs(float(value) - float(expected)) >= 1e-6:
            found.append(Difference("wrong", *key, expected, format_value(value)))
    for key, value in got.items():
        if key[0] in files and key not in labelled:
            found.append(Difference("unlabelled", *key, "", format_value(value)))
    return sorted(found, key=lambda d: (KINDS.index(d.kind), d.file, d.indicator_code, d.applicant_type))


def figures(gold: Iterable[Mapping[str, str]], got: Mapping[Key, Decimal]) -> dict[str, dict[str, int]]:
    """Per source kind, what score.py counts: gold values, hits, wrong values, blank gold rows kept blank."""
    stats: dict[str, dict[str, int]] = {}
    for row in filter(is_scored, gold):
        kind = row["source_kind"] or "prose"
        s = stats.setdefault(kind, {"gold": 0, "hit": 0, "wrong": 0, "null_gold": 0, "null_ok": 0})
        expected = row["value"].strip()
        value = got.get(gold_key(row))
        if expected == "":
            s["null_gold"] += 1
            s["null_ok" if value is None else "wrong"] += 1
        else:
            s["gold"] += 1
            if value is not None:
                s["hit" if abs(float(value) - float(expected)) < 1e-6 else "wrong"] += 1
    return stats


def format_figures(stats: Mapping[str, Mapping[str, int]]) -> list[str]:
    lines = []
    for kind, s in sorted(stats.items()):
        recall = s["hit"] / s["gold"] if s["gold"] else 1.0
        emitted = s["hit"] + s["wrong"]
        precision = s["hit"] / emitted if emitted else 1.0
        lines.append(
            f"{kind}: recall {recall:.3f} ({s['hit']}/{s['gold']}), precision {precision:.3f} (wrong {s['wrong']}), "
            f"blank kept blank {s['null_ok']}/{s['null_gold']}"
        )
    return lines


METADATA_FIELDS = [
    "report_year",
    "province",
    "city",
    "admin_level",
    "template_version",
    "publish_date",
    "script",
    "issuer",
]


def metadata_share(db: Path, reports_csv: Path) -> tuple[int, int]:
    """Gold metadata fields (the non-empty ones) that dim_reports gets right, and how many there are (as score.py)."""
    with reports_csv.open(encoding="utf-8", newline="") as handle:
        gold = list(csv.DictReader(handle))
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from marts.dim_reports")
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        built = {Path(row["source_path"]).name: row for row in rows}
    finally:
        con.close()
    right = total = 0
    for row in gold:
        report = built.get(row["file"], {})
        for field in METADATA_FIELDS:
            if row.get(field):
                total += 1
                value = report.get(field)
                right += str(value if value is not None else "") == row[field]
    return right, total


def read_known(path: Path = KNOWN_DIFFERENCES) -> list[Difference]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return sorted(Difference(**row) for row in csv.DictReader(handle))


def write_known(found: Iterable[Difference], path: Path = KNOWN_DIFFERENCES) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(KNOWN_COLUMNS)
        for d in found:
            writer.writerow([d.kind, d.file, d.indicator_code, d.applicant_type, d.gold_value, d.warehouse_value])


def write_gold(rows: Iterable[Mapping[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=GOLD_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def shared_score(db: Path, gold_csv: Path, spec_dir: Path, show: int) -> str | None:
    """The output of the maintainers' score.py on the same gold, or None when it is not beside the repo."""
    script = spec_dir / "score.py"
    if not script.exists():
        return None
    command = [sys.executable, str(script), str(db), str(gold_csv)]
    if GOLD_REPORTS.exists():
        command.append(str(GOLD_REPORTS))
    result = subprocess.run([*command, "--show", str(show)], capture_output=True, text=True, timeout=600)
    return result.stdout + result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="warehouse file to build (default: a temporary one)")
    parser.add_argument("--no-build", action="store_true", help="score the --db warehouse as it is")
    parser.add_argument("--write-known", action="store_true", help=f"rewrite {KNOWN_DIFFERENCES.relative_to(ROOT)}")
    parser.add_argument("--spec-dir", type=Path, default=DEFAULT_SPEC_DIR, help="where score.py is")
    parser.add_argument("--show", type=int, default=0, help="how many differences score.py prints")
    parser.add_argument("--list", action="store_true", help="print every difference from the gold")
    args = parser.parse_args(argv)
    if args.no_build and args.db is None:
        parser.error("--no-build needs --db")

    with tempfile.TemporaryDirectory(prefix="zfxxgk-score-") as tmp:
        db = args.db or Path(tmp) / "real.duckdb"
        if not args.no_build:
            print(f"building {db} from {len(build_inputs())} files ...", flush=True)
            build(db)
        gold = load_gold()
        gold_csv = Path(tmp) / "gold_values.csv"
        write_gold(gold, gold_csv)
        got = warehouse_values(db)
        output = shared_score(db, gold_csv, args.spec_dir, args.show)
        if output is None:
            print(f"({args.spec_dir / 'score.py'} not found: the same figures, computed here)")
            print("\n".join(format_figures(figures(gold, got))))
            if GOLD_REPORTS.exists():
                right, total = metadata_share(db, GOLD_REPORTS)
                print(f"metadata fields right: {right}/{total}")
        else:
            print(output.rstrip())

    pdf_names = {path.name for path in pdf_fixtures()}
    for name, rows in (
        ("the 30 real openings", [row for row in gold if row["file"] not in pdf_names]),
        ("the 3 PDFs' text", [row for row in gold if row["file"] in pdf_names]),
    ):
        print(f"{name}:\n  " + "\n  ".join(format_figures(figures(rows, got))))
    found = differences(gold, got)
    known = read_known()
    counts = ", ".join(f"{sum(d.kind == kind for d in found)} {kind}" for kind in KINDS)
    print(f"differences from the gold: {counts}")
    if args.list:
        for d in found:
            print(f"  {d.describe()}")
    new = sorted(set(found) - set(known))
    gone = sorted(set(known) - set(found))
    for d in new:
        print(f"  new   {d.describe()}")
    for d in gone:
        print(f"  gone  {d.describe()}")
    if args.write_known:
        write_known(found)
        print(f"wrote {KNOWN_DIFFERENCES.relative_to(ROOT)} ({len(found)} rows)")
    elif new or gone:
        print(f"{KNOWN_DIFFERENCES.relative_to(ROOT)} is out of date: run with --write-known and read the diff")
    return 0


if __name__ == "__main__":
    sys.exit(main())
