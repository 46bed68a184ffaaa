"""Spreadsheet sheets (.xls, .xlsx) to the lines of a report's text and the cells of its tables.

A sheet is a grid of values with merged ranges. A statistics table attached as a spreadsheet has a title row
(某某县人民政府2013年政府信息公开工作情况统计表, merged across the columns), maybe a row for the reporting unit or
the year, then the table itself, then perhaps a signature row (填表人：…). The rows from the first to the last row
that holds at least two cells of its own are the table: they land as cells (table_no = the sheet's place among
the sheets that hold a table) and as tab-separated lines. The single-cell rows before and after it are lines of
text, so the title is the report's first line.

- Merged ranges follow the rule of ingest/tables.py: a label fills every grid position of its range, a value
  only its first one.
- Values: an empty cell is an empty string (NULL downstream, never 0); a number stored as a float that is
  whole prints without its decimal part (3649.0 -> "3649"), any other number with every digit it has (repr, no
  exponent); dates print as ISO dates.
- Columns and rows left empty inside the table's range are dropped; merged ranges are cut at the last row and
  column that hold a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.readers import ReadResult, text_over_limit
from ingest.rejections import RejectedFileError, RejectionReason
from ingest.tables import TableCell, clean_cell_text, grid_cells, padding, row_lines

MAX_SHEET_CELLS = 2_000_000
"""A sheet whose values span more grid positions than this is no statistics table (a data dump): too large."""
CellRange = tuple[tuple[int, int], tuple[int, int]]
"""A merged range as ((first row, first column), (last row, last column)), numbered from 0, inclusive."""


@dataclass(frozen=True)
class Sheet:
    name: str
    values: Sequence[Sequence[object]]
    """Rows of cell values from the sheet's first row and column (A1), as the spreadsheet library gives them."""
    merged: Sequence[CellRange] = ()


def value_text(value: object) -> str:
    """A cell's value as the text the table models read."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_cell_text(str(value))


def sheet_grid(sheet: Sheet) -> tuple[list[list[str | None]], list[list[bool]]]:
    """The sheet's grid of texts with merged ranges filled, and which positions are a cell's own (not covered)."""
    height = len(sheet.values)
    width = max((len(row) for row in sheet.values), default=0)
    if height * width > MAX_SHEET_CELLS:
        raise RejectedFileError(
            RejectionReason.TOO_LARGE,
            f"sheet {sheet.name!r} spans {height:,} x {width:,} cells, over {MAX_SHEET_CELLS:,}",
        )
    grid: list[list[str | None]] = [[None] * width for _ in range(height)]
    own = [[True] * width for _ in range(height)]
    for r, row in enumerate(sheet.values):
        for c, value in enumerate(row):
            grid[r][c] = value_text(value)
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= height or c0 >= width:
            continue
        text = grid[r0][c0] or ""
        # a merged range reaching past the last cell that holds a value covers nothing there
        for r in range(r0, min(r1, height - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if (r, c) != (r0, c0):
                    grid[r][c] = padding(text)
                    own[r][c] = False
    return grid, own


def read_sheets(sheets: Sequence[Sheet]) -> tuple[list[str], list[TableCell]]:
    """The text lines and table cells of a workbook's sheets, in sheet order."""
    lines: list[str] = []
    cells: list[TableCell] = []
    table_no = 0
    for sheet in sheets:
        grid, own = sheet_grid(sheet)
        own_texts = [
            [text or "" for text, is_own in zip(row, own_row, strict=True) if is_own]
            for row, own_row in zip(grid, own, strict=True)
        ]
        table_rows = [r for r, texts in enumerate(own_texts) if sum(1 for text in texts if text) >= 2]
        if not table_rows:
            lines.extend(text for texts in own_texts for text in texts if text)
            continue
        first, last = table_rows[0], table_rows[-1]
        lines.extend(text for texts in own_texts[:first] for text in texts if text)
        kept_rows = [r for r in range(first, last + 1) if any(grid[r])]
        kept_cols = [c for c in range(len(grid[0])) if any(grid[r][c] for r in kept_rows)]
        table_no += 1
        cells.extend(grid_cells(table_no, [[grid[r][c] for c in kept_cols] for r in kept_rows]))
        lines.extend(
            row_lines(
                [[grid[r][c] or "" for c in kept_cols if own[r][c]] for r in kept_rows],
            )
        )
        lines.extend(text for texts in own_texts[last + 1 :] for text in texts if text)
    return lines, cells


def workbook_sheets(data: bytes, suffix: str) -> list[Sheet]:
    """The visible worksheets of an .xls or .xlsx workbook, read with python-calamine, in workbook order.

    The bytes go through a temporary file named with the format's suffix: calamine then opens that format and
    says why it cannot (a password, a damaged record), where reading from memory it guesses the format and
    only says that it cannot tell. Raises PasswordError for an encrypted workbook and CalamineError (or
    another error) for a damaged one."""
    import tempfile

    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        workbook = CalamineWorkbook.from_path(handle.name)
    sheets = []
    text_chars = 0
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_index(index)
            rows, text_chars = _sheet_rows(sheet, meta.name, text_chars)
            sheets.append(Sheet(meta.name, rows, sheet.merged_cell_ranges or ()))
    finally:
        workbook.close()
    return sheets


def _sheet_rows(sheet, name: str, text_chars: int) -> tuple[list[list[object]], int]:
    """A sheet's rows from A1 (as `to_python(skip_empty_area=False)` gives them), taken row by row and adding up
    the characters of their strings (`text_chars`: the workbook's so far): a shared string repeated in many cells
    makes a small workbook give more text than its size, so the rows stop at the text limit (ingest.readers)."""
    pad: list[object] = [""] * (sheet.start or (0, 0))[1]
    rows: list[list[object]] = []
    for row in sheet.iter_rows():
        text_chars += sum(len(value) for value in row if isinstance(value, str))
        too_large = text_over_limit(text_chars, f"by row {len(rows) + 1} of sheet '{name}'")
        if too_large is not None:
            raise too_large
        rows.append(pad + row)
    return rows, text_chars


def read_workbook(data: bytes, suffix: str, what: str) -> ReadResult:
    """A workbook's text and cells; an encrypted or unreadable workbook is rejected with its reason."""
    from python_calamine import PasswordError

    try:
        sheets = workbook_sheets(data, suffix)
    except PasswordError as error:
        raise RejectedFileError(RejectionReason.ENCRYPTED, f"{what} protected by a password ({error})") from error
    except RejectedFileError:
        raise
    except Exception as error:  # calamine raises CalamineError, ZipError, XmlError ... on a damaged file
        detail = f"not a readable workbook: {what} ({type(error).__name__}: {error})"
        raise RejectedFileError(RejectionReason.CORRUPT, detail[:400]) from error
    lines, cells = read_sheets(sheets)
    return ReadResult("\n".join(lines) + "\n" if lines else "", "utf-8", cells=tuple(cells))
