"""Make the Word 97 (.doc) fixtures of tests/python/test_doc_sheet_readers.py, once, with LibreOffice.

No Python package writes .doc files, so the fixtures are committed (a few kB each) and this script says how they
were made: each is an HTML page (paragraphs and one table) that LibreOffice Writer converts to "MS Word 97".

    apt-get install libreoffice-writer-nogui   # about 60 packages
    .venv/bin/python scripts/make_doc_fixtures.py

- spans.doc: a title, two paragraphs, a table whose first cell spans two rows and whose 本年 spans two columns,
  a blank value cell, and a closing paragraph.
- legacy_2011_local_table.doc: tests/fixtures/tables/legacy_2011_local_table.txt as a Word document: its lines
  as paragraphs, its tab-separated statistics table as a Word table (a section row such as 一、主动公开情况 spans
  the table's three columns).
- hengyang_shi_2008.doc: the real opening of 衡阳市's 2008 report (../shared/corpus/real/115_hengyang_shi_2008.txt,
  see its SOURCES.tsv), a line per paragraph, as the many 2008-2014 reports published as .doc read.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "doc"
LEGACY_TEXT = ROOT / "tests" / "fixtures" / "tables" / "legacy_2011_local_table.txt"
REAL_TEXT = ROOT.parent / "shared" / "corpus" / "real" / "115_hengyang_shi_2008.txt"

SPANS_BODY = (
    "<p>某县人民政府2012年政府信息公开工作年度报告</p>"
    "<p>一、概述</p>"
    "<p>全年主动公开政府信息1136条。</p>"
    '<table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">本年</td></tr>'
    "<tr><td>制发件数</td><td>废止件数</td></tr>"
    "<tr><td>规章</td><td>0</td><td></td></tr></table>"
    "<p>二、存在的问题</p>"
)


def page(body: str) -> str:
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def text_to_body(lines: list[str]) -> str:
    """Paragraphs, and a table for each run of tab-separated lines; a line without a tab between two table
    rows is a row of its own across the table's columns."""
    parts: list[str] = []
    rows: list[list[str]] = []

    def close_table() -> None:
        if rows:
            width = max(len(row) for row in rows)
            trs = []
            for row in rows:
                if len(row) == 1:
                    trs.append(f'<tr><td colspan="{width}">{html.escape(row[0])}</td></tr>')
                else:
                    trs.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
            parts.append('<table border="1">' + "".join(trs) + "</table>")
            rows.clear()

    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if "\t" in line or (rows and "\t" in following):
            rows.append(line.split("\t"))
        else:
            close_table()
            parts.append(f"<p>{html.escape(line)}</p>")
    close_table()
    return "".join(parts)


def convert(name: str, body: str) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"{name}.html"
        source.write_text(page(body), encoding="utf-8")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
             "doc:MS Word 97", "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(work) / f"{name}.doc", OUT / f"{name}.doc")
    print(f"wrote {OUT / f'{name}.doc'}")


def main() -> None:
    convert("spans", SPANS_BODY)
    lines = [line for line in LEGACY_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    convert("legacy_2011_local_table", text_to_body(lines))
    real = [line.strip() for line in REAL_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    convert("hengyang_shi_2008", text_to_body(real))


if __name__ == "__main__":
    main()
