"""A report with no line breaks: its cost grows linearly with its size and holds no other report hostage.

stg_report_lines cuts a text line longer than var long_line_chars (20,000 characters) at sentence ends into
pieces of about var line_piece_chars (2,000) characters, so no model reads a line much longer than that. The
report (shared_corpus.LONG_FILE) is built in the shared warehouse, beside the other fixture reports.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SharedWarehouse, query
from shared_corpus import LONG_FILE, LONG_TEMPLATES, long_line_text

ACCEPTANCE = ROOT / "tests" / "acceptance"
NORMAL_FILES = ["000_d4ff795807e30615.txt", "001_082f890431297067.txt"]
# measured: about 0.65 GB for the whole process tree (ingest workers, dbt, DuckDB) on 2 cores with two other reports,
# about 1.1 GB in the shared warehouse; past 10 GB before lines were cut
PEAK_RSS_BOUND = 2 * 1024**3
VALUES_BY_FILE = """
select regexp_extract(reports.source_path, '[^/]+$') as file, values.*
from marts.fct_indicator_values as values
join staging.stg_reports as reports using (report_id)
"""


@pytest.fixture(scope="module")
def long_line_build(shared_warehouse: SharedWarehouse) -> tuple[Path, SharedWarehouse, int, str]:
    """The shared warehouse, which holds the 3 MB single-line report LONG_FILE (shared_corpus.py) among some
    two hundred others: db, the warehouse, the peak RSS of its build, the long text."""
    return shared_warehouse.db_path, shared_warehouse, shared_warehouse.peak_rss, long_line_text()


def test_the_build_succeeds_in_bounded_memory(long_line_build: tuple) -> None:
    db_path, warehouse, peak, _ = long_line_build
    assert warehouse.run.returncode == 0, warehouse.run.stdout[-4000:]
    assert query(db_path, f"select count(*) from marts.dim_reports where source_path like '%/{LONG_FILE}'") == [(1,)]
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak / 1024**3:.2f} GB"


def test_the_normal_reports_keep_their_values(long_line_build: tuple) -> None:
    db_path, *_ = long_line_build
    with (ACCEPTANCE / "seed_expected.csv").open(encoding="utf-8") as handle:
        expected = {
            (row["file"], row["indicator_code"], row["applicant_type"]): Decimal(row["value"])
            for row in csv.DictReader(handle)
            if row["file"] in NORMAL_FILES and row["value"]
        }
    assert len(expected) == 49
    rows = query(
        db_path,
        f"""
        select file, indicator_code, applicant_type, value from ({VALUES_BY_FILE})
        where file in ({", ".join(f"'{name}'" for name in NORMAL_FILES)}) and value is not null
        """,
    )
    assert {(file, code, applicant): value for file, code, applicant, value in rows} == expected


def _long_report_text(db_path: Path) -> str:
    """The long report's text as ingest normalized it (offsets count its characters)."""
    return query(db_path, f"select text from staging.stg_reports where source_path like '%{LONG_FILE}'")[0][0]


def test_the_long_line_is_read_in_pieces_cut_at_sentence_ends(long_line_build: tuple) -> None:
    db_path, *_ = long_line_build
    text = _long_report_text(db_path)
    assert "\n" not in text
    pieces = query(
        db_path,
        f"""
        select lines.line_no, lines.text_line_no, lines.start_offset, lines.end_offset, lines.line,
            lines.is_text_line_end
        from staging.stg_report_lines as lines
        join staging.stg_reports as reports using (report_id)
        where reports.source_path like '%{LONG_FILE}'
        order by lines.line_no
        """,
    )
    assert len(pieces) >= len(text) // 3_000
    assert "".join(piece[4] for piece in pieces) == text
    assert [piece[0] for piece in pieces] == list(range(1, len(pieces) + 1))
    assert {piece[1] for piece in pieces} == {1}
    assert [piece[5] for piece in pieces] == [False] * (len(pieces) - 1) + [True]
    for line_no, _, start, end, line, _ in pieces:
        assert text[start:end] == line, line_no
        # a piece holds the sentences that start in its 2,000-character window (a sentence is cut at 1,000)
        assert len(line) <= 2_000 + 1_000, line_no
    # every cut falls after a sentence end, a clause delimiter or a Han character: never inside a number
    assert {line[-1] for *_, line, ends in pieces if not ends if not line[-1].isdigit()} == {
        line[-1] for *_, line, ends in pieces if not ends
    }
    assert sum(1 for *_, line, ends in pieces if not ends and line[-1] in "。；;！!？?") > len(pieces) // 2


def test_the_cut_line_is_a_quality_issue(long_line_build: tuple) -> None:
    db_path, *_ = long_line_build
    text = _long_report_text(db_path)
    rows = query(
        db_path,
        """
        select file, issues.severity, issues.line_no, issues.start_offset, issues.issue_sentence, issues.evidence
        from marts.fct_quality_issues as issues
        join (
            select report_id, regexp_extract(source_path, '[^/]+$') as file from staging.stg_reports
        ) using (report_id)
        where issues.rule = 'long_line_cut'
        """,
    )
    pieces = query(
        db_path,
        f"""
        select count(*) from staging.stg_report_lines join staging.stg_reports using (report_id)
        where source_path like '%{LONG_FILE}'
        """,
    )[0][0]
    assert rows == [
        (
            LONG_FILE,
            "info",
            1,
            0,
            f"Line 1 of the text ({len(text)} characters without a line break) was read in {pieces} pieces cut "
            "at sentence ends.",
            text[:40],
        )
    ]


def test_every_value_of_the_long_report_points_at_its_characters(long_line_build: tuple) -> None:
    """A cell or a prose figure is the text between its offsets; a value split from a run ends the row there."""
    db_path, *_ = long_line_build
    text = _long_report_text(db_path)
    rows = query(
        db_path,
        f"""
        select indicator_code, applicant_type, extraction_method, start_offset, end_offset, raw_cell_text
        from ({VALUES_BY_FILE})
        where file = '{LONG_FILE}' and start_offset is not null and raw_cell_text is not null
        """,
    )
    methods = {method for _, _, method, *_ in rows}
    assert {"cell", "prose_figure", "split_one_digit_per_cell"} <= methods
    for code, applicant, method, start, end, raw_cell_text in rows:
        if method.startswith("split_"):
            assert text[start:end].endswith(raw_cell_text), (code, applicant)
        else:
            assert text[start:end] == raw_cell_text, (code, applicant)


def test_the_long_report_gives_no_value_its_texts_do_not(long_line_build: tuple) -> None:
    """Each copy states the same figures: every value read is one that report 002 or the table fixture states."""
    db_path, *_ = long_line_build
    with (ACCEPTANCE / "seed_expected.csv").open(encoding="utf-8") as handle:
        stated = {
            (row["indicator_code"], row["applicant_type"]): Decimal(row["value"])
            for row in csv.DictReader(handle)
            if row["file"] == LONG_TEMPLATES[0].name and row["value"]
        }
    with LONG_TEMPLATES[1].with_suffix(".expected.csv").open(encoding="utf-8") as handle:
        stated |= {
            (row["indicator_code"], row["applicant_type"]): Decimal(row["value"])
            for row in csv.DictReader(handle)
            if row["value"]
        }
    # and two figures of their prose that neither list labels:
    # 本年度办结53件 (the fixture) and 共计47个单位80多人参加培训 (002)
    stated |= {("applications_completed", "total"): Decimal(53), ("training_attendees", "total"): Decimal(80)}
    rows = query(
        db_path,
        f"select indicator_code, applicant_type, value from ({VALUES_BY_FILE}) "
        f"where file = '{LONG_FILE}' and value is not null",
    )
    found = {(code, applicant): value for code, applicant, value in rows}
    assert len(found) > 100
    assert {key: value for key, value in found.items() if stated.get(key) != value} == {}
