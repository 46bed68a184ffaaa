#!/usr/bin/env python3
"""Prose recall and precision of a built warehouse against labelled prose fixtures.

A fixture is tests/fixtures/prose/NAME.txt with NAME.expected.csv (indicator_code, value, is_approximate): every
value a reader takes from the text. The warehouse must have been built from (copies of) the fixture files. A prose
value of fct_indicator_values (applicant_type total) is right when the fixture expects that code with that value;
recall = right values / expected values, precision = right values / prose values given.

Usage: python scripts/prose_scores.py WAREHOUSE.duckdb FIXTURE.txt...
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

PROSE_VALUES = """
select regexp_extract(reports.source_path, '[^/]+$') as file, values.indicator_code, values.value
from marts.fct_indicator_values as values
inner join staging.stg_reports as reports using (report_id)
where values.source_kind = 'prose' and values.applicant_type = 'total' and values.value is not null
"""


def expected_values(fixture: Path) -> dict[str, Decimal]:
    with fixture.with_suffix(".expected.csv").open(encoding="utf-8") as handle:
        return {row["indicator_code"]: Decimal(row["value"]) for row in csv.DictReader(handle)}


def main(warehouse: str, fixtures: list[str]) -> int:
    expected = {(Path(f).name, code): value for f in fixtures for code, value in expected_values(Path(f)).items()}
    names = {Path(f).name for f in fixtures}
    with duckdb.connect(warehouse, read_only=True) as connection:
        rows = connection.execute(PROSE_VALUES).fetchall()
    given = {(file, code): value for file, code, value in rows if file in names}
    right = {key for key, value in given.items() if expected.get(key) == value}
    for key in sorted(given.keys() - right):
        print(f"wrong   {key[0]} {key[1]} {given[key]} (expected {expected.get(key, 'none')})")
    for key in sorted(expected.keys() - given.keys()):
        print(f"missing {key[0]} {key[1]} {expected[key]}")
    recall = len(right) / len(expected) if expected else 1.0
    precision = len(right) / len(given) if given else 1.0
    print(f"expected {len(expected)}, given {len(given)}, right {len(right)}")
    print(f"recall {recall:.3f}  precision {precision:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
