"""The digit-run search as a script for Spark's `transform` (`select transform(...) using 'python -m
zfxxgk.spark_runs HEX'`): dbt-spark runs Python models only on Databricks, so on Spark the model's input rows stream
through this script, the rows of one issuer to one process (`distribute by`), and zfxxgk.run_search does what the
DuckDB Python model has it do.

Standard input: one JSON object per line, whose `kind` says what it holds:
  cell    report_id, table_kind, row_key, row_status, cell_no, indicator_code, applicant_type, raw_cell_text, value
  stated  report_id, indicator_code, applicant_type, value      (a total the prose states)
  linked  report_id, indicator_code, applicant_type, value      (a printed cell of a code that links years)
  pair    earlier_report_id, later_report_id                    (consecutive reports of one issuer)
The argument: the seeds' rows as JSON ({"indicators": [...], "table_layouts": [...], "indicator_item_changes": [...],
"run_cell_kinds": [...], "indicator_bounds": [...]}), hex-encoded so that no shell or SQL quoting can touch it.
Standard output: one JSON object per cell of a run, with the columns of run_search.OUTPUT_COLUMNS (value as a string).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from zfxxgk.run_search import OUTPUT_COLUMNS, SplitterDictionaries, search_runs, splitter_dictionaries

SEED_NAMES = ("indicators", "table_layouts", "indicator_item_changes", "run_cell_kinds", "indicator_bounds")


def dictionaries_from_hex(encoded: str) -> SplitterDictionaries:
    """The dictionaries from the hex-encoded JSON of the seeds' rows."""
    seeds = json.loads(bytes.fromhex(encoded).decode("utf-8"))
    return splitter_dictionaries(*(seeds[name] for name in SEED_NAMES))


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def search_lines(lines: Iterable[str], dictionaries: SplitterDictionaries) -> Iterator[str]:
    """The output lines for the input lines (the whole of one process's input: every row of its issuers)."""
    cells, stated, linked, pairs = [], [], [], []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        kind = row["kind"]
        if kind == "cell":
            cells.append(
                (
                    row["report_id"],
                    row["table_kind"],
                    row["row_key"],
                    row["cell_no"],
                    row["row_status"],
                    row["indicator_code"],
                    row["applicant_type"],
                    row.get("raw_cell_text"),
                    _number(row.get("value")),
                )
            )
        elif kind in ("stated", "linked"):
            values = (row["report_id"], row["indicator_code"], row["applicant_type"], _number(row.get("value")))
            (stated if kind == "stated" else linked).append(values)
        elif kind == "pair":
            pairs.append((row["earlier_report_id"], row["later_report_id"]))
        else:
            raise ValueError(f"zfxxgk.spark_runs: unknown row kind {kind!r}")
    # as the DuckDB model reads them: by report, table, row and cell
    cells.sort(key=lambda cell: (cell[0], cell[1], cell[2], cell[3]))
    cell_rows = [(report, table, row_key, *rest) for report, table, row_key, _cell_no, *rest in cells]
    output = search_runs(cell_rows, stated, linked, sorted(pairs), dictionaries)
    for values in zip(*(output[name] for name in OUTPUT_COLUMNS), strict=True):
        record = dict(zip(OUTPUT_COLUMNS, values, strict=True))
        record["value"] = None if record["value"] is None else str(record["value"])
        yield json.dumps(record, ensure_ascii=False)


def main(argv: list[str] | None = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m zfxxgk.spark_runs HEX_OF_SEEDS_JSON < rows.jsonl", file=sys.stderr)
        return 2
    for line in search_lines(stdin, dictionaries_from_hex(args[0])):
        stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
