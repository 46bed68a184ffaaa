"""The warn-severity dbt tests of a build, said in plain language: what was found, in which files, where to read more.

A warn-severity test does not fail a build: it stores its rows in the audit schema (store_failures). MESSAGES holds
one sentence per such test (tests/python/test_run_output.py checks that every warn test of the project has one);
each lists the files or reports concerned, read from the work database once dbt has closed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.display import display_text

SHOWN_SUBJECTS = 3
"""Files named in a warning; the others are counted ('and 12 more')."""
SUBJECT_WIDTH = 150
"""A file named with its detail is cut to this many characters, so that it stays one readable line."""

REPORT_FILE = "regexp_extract(reports.source_path, '[^/]+$')"
"""The file name of a report, as the warnings name it."""


@dataclass(frozen=True)
class WarningMessage:
    one: str
    """What was found, for one subject: '1 file rejected'."""
    many: str
    """For several: '{n} files rejected'."""
    subjects_sql: str
    """Rows (name, detail or NULL), one per file or report concerned, from the work database after the build."""
    see: str = ""
    """Where to read the rest (a table), or nothing when the detail says what to do."""

    def say(self, subjects: list[tuple[str, str | None]]) -> str:
        """The sentence for these subjects: their names on its line, or one line each when several have details."""
        n = len(subjects)
        found = self.one if n == 1 else self.many.format(n=f"{n:,}")
        see = f"; see {self.see}" if self.see else ""
        named = [_subject(name, detail) for name, detail in subjects[:SHOWN_SUBJECTS]]
        more = [f"and {n - SHOWN_SUBJECTS:,} more"] if n > SHOWN_SUBJECTS else []
        if n > 1 and any(detail for _, detail in subjects[:SHOWN_SUBJECTS]):
            return f"{found}{see}:" + "".join(f"\n  {line}" for line in named + more)
        return f"{found}: {', '.join(named + more)}{see}"


def _subject(name: str, detail: str | None) -> str:
    """A file's name and its detail in brackets, cut to SUBJECT_WIDTH characters."""
    text = display_text(name) + (f" ({display_text(detail)})" if detail else "")
    return text if len(text) <= SUBJECT_WIDTH else text[: SUBJECT_WIDTH - 2] + "…)"


def _rule_breaks(test: str) -> str:
    """The reports whose rule breaks the test `test` stored (tests/generic/indicator_rules_hold.sql)."""
    return f"""
        select distinct {REPORT_FILE}, null
        from audit.{test} as breaks join staging.stg_reports as reports using (report_id)
        order by 1
    """


CONTRADICTS = "1 report contradicts itself", "{n} reports contradict themselves"
QUALITY_ISSUES = "marts.fct_quality_issues"

MESSAGES: dict[str, WarningMessage] = {
    "no_rejected_files": WarningMessage(
        "1 file rejected",
        "{n} files rejected",
        """
        select regexp_extract(source_path, '[^/]+$'), reason || coalesce(': ' || detail, '')
        from audit.no_rejected_files order by source_path
        """,
    ),
    "no_damaged_reports": WarningMessage(
        "1 report damaged in decoding",
        "{n} reports damaged in decoding",
        f"""
        select {REPORT_FILE}, decode_note from staging.stg_reports as reports
        where is_damaged and report_id in (select report_id from intermediate.int_reports_changed)
        order by reports.source_path
        """,
        "staging.stg_reports.decode_note; download them again if you can",
    ),
    "fct_indicator_values_parts_never_exceed_their_whole": WarningMessage(
        f"{CONTRADICTS[0]} (a part above its whole)",
        f"{CONTRADICTS[1]} (a part above its whole)",
        _rule_breaks("fct_indicator_values_parts_never_exceed_their_whole"),
        QUALITY_ISSUES,
    ),
    "fct_indicator_values_parts_add_up_to_their_total": WarningMessage(
        f"{CONTRADICTS[0]} (parts that do not add up to their total)",
        f"{CONTRADICTS[1]} (parts that do not add up to their total)",
        _rule_breaks("fct_indicator_values_parts_add_up_to_their_total"),
        QUALITY_ISSUES,
    ),
    "fct_indicator_values_applicant_columns_add_up_to_total": WarningMessage(
        f"{CONTRADICTS[0]} (applicant columns that do not add up to 总计)",
        f"{CONTRADICTS[1]} (applicant columns that do not add up to 总计)",
        _rule_breaks("fct_indicator_values_applicant_columns_add_up_to_total"),
        QUALITY_ISSUES,
    ),
    "fct_indicator_values_table_3_balances": WarningMessage(
        f"{CONTRADICTS[0]} (table 三 does not balance)",
        f"{CONTRADICTS[1]} (table 三 does not balance)",
        _rule_breaks("fct_indicator_values_table_3_balances"),
        QUALITY_ISSUES,
    ),
    "fct_indicator_values_values_within_bounds": WarningMessage(
        "1 report holds a value out of bounds (a negative count, or digits run together)",
        "{n} reports hold a value out of bounds (a negative count, or digits run together)",
        _rule_breaks("fct_indicator_values_values_within_bounds"),
        QUALITY_ISSUES,
    ),
    "fct_indicator_values_carried_over_matches_last_year": WarningMessage(
        "1 report carries over other figures than its year before gave",
        "{n} reports carry over other figures than their year before gave",
        _rule_breaks("fct_indicator_values_carried_over_matches_last_year"),
        QUALITY_ISSUES,
    ),
    "dim_reports_publish_date_after_report_year": WarningMessage(
        "1 report dated before its year ended (its date or year may be misread)",
        "{n} reports dated before their year ended (their date or year may be misread)",
        f"""
        select {REPORT_FILE}, cast(dated.publish_date as varchar) || ' for ' || dated.report_year
        from audit.dim_reports_publish_date_after_report_year as dated
        join staging.stg_reports as reports using (report_id)
        order by reports.source_path
        """,
        "marts.dim_reports",
    ),
}


def describe_warnings(work: Path, warned: dict[str, int]) -> list[str]:
    """One line per warn-severity test that found rows (name -> rows found), in plain language."""
    if not warned:
        return []
    lines = []
    con = duckdb.connect(str(work), read_only=True)
    try:
        for test, rows in sorted(warned.items(), key=lambda item: (_order(item[0]), item[0])):
            message = MESSAGES.get(test)
            subjects = con.execute(message.subjects_sql).fetchall() if message else []
            if message and subjects:
                lines.append(message.say(subjects))
            else:
                lines.append(f"the check {test} found {rows:,} row(s): see audit.{test}")
    finally:
        con.close()
    return lines


def _order(test: str) -> int:
    """The files first, then the reports, as MESSAGES lists them; a test without a message last."""
    return list(MESSAGES).index(test) if test in MESSAGES else len(MESSAGES)
