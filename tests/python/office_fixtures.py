"""Spreadsheet fixtures written by the tests: the same sheets as .xlsx (openpyxl) and .xls (xlwt).

A sheet is a name, rows of values (None = an empty cell) and merged ranges in A1 notation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT

LEGACY_TEXT = ROOT / "tests" / "fixtures" / "tables" / "legacy_2011_local_table.txt"
LEGACY_TITLE = "韶关市浈江区人民政府2011年政府信息公开情况统计表"


@dataclass
class SheetSpec:
    name: str
    rows: list[list[object]]
    merged: list[str] = field(default_factory=list)
    hidden: bool = False


def legacy_sheet() -> SheetSpec:
    """The statistics table of legacy_2011_local_table.txt as its attachment would be: a title row naming the
    issuer and the year, the reporting unit, the table (numbers stored as floats, section rows merged across the
    three columns) and a signature row."""
    lines = LEGACY_TEXT.read_text(encoding="utf-8").splitlines()
    start = lines.index("填报单位：韶关市浈江区人民政府办公室")
    rows: list[list[object]] = [[LEGACY_TITLE, None, None], [None, None, None], [lines[start], None, None]]
    merged = ["A1:C1", "A3:C3"]
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == 1:
            rows.append([cells[0], None, None])
            merged.append(f"A{len(rows)}:C{len(rows)}")
        else:
            label, unit, number = cells
            rows.append([label, unit, number if label == "指标名称" else float(number)])
    rows.append(["填表人：李明", None, None])
    merged.append(f"A{len(rows)}:C{len(rows)}")
    return SheetSpec("统计表", rows, merged)


def _ranges(merged: list[str]) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column), numbered from 0, of each A1:C1 range."""
    from openpyxl.utils.cell import range_boundaries

    out = []
    for text in merged:
        min_col, min_row, max_col, max_row = range_boundaries(text)
        out.append((min_row - 1, max_row - 1, min_col - 1, max_col - 1))
    return out


def write_xlsx(path: Path, sheets: list[SheetSpec]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for text in spec.merged:
            sheet.merge_cells(text)
        if spec.hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)


def write_xls(path: Path, sheets: list[SheetSpec]) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for spec in sheets:
        sheet = workbook.add_sheet(spec.name)
        if spec.hidden:
            sheet.visibility = 1
        ranges = _ranges(spec.merged)
        covered = {(r, c) for r0, r1, c0, c1 in ranges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r0, r1, c0, c1 in ranges:
            value = spec.rows[r0][c0] if r0 < len(spec.rows) and c0 < len(spec.rows[r0]) else None
            sheet.write_merge(r0, r1, c0, c1, "" if value is None else value)
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is not None and (r, c) not in covered:
                    sheet.write(r, c, value)
    workbook.save(str(path) if isinstance(path, Path) else path)


def html_tables_workbook(source_html: Path, path: Path) -> None:
    """The tables of an HTML fixture as a workbook, a sheet per table with the page's row and column spans as
    merged ranges and numbers stored as floats; the first sheet starts with a title row (…工作统计表)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from selectolax.lexbor import LexborHTMLParser
    from test_readers import table_origins

    tree = LexborHTMLParser(source_html.read_bytes().decode("gb18030"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table_no, table in enumerate(tree.css("#zoom table"), start=1):
        sheet = workbook.create_sheet(f"表{table_no}")
        if table_no == 1:
            sheet.cell(1, 1, tree.css_first("h1").text(deep=True).replace("年度报告", "统计表"))
        for r, c, rowspan, colspan, text in table_origins(table):
            value: object = float(text) if text.replace(".", "", 1).isdigit() else text
            sheet.cell(r + 2, c + 1, value)
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(
                    f"{get_column_letter(c + 1)}{r + 2}:{get_column_letter(c + colspan)}{r + 1 + rowspan}"
                )
    workbook.save(path)
