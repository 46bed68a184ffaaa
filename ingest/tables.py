"""Tables as readers find them (rows of cells with row and column spans) to the grid of cells that lands in
`raw.report_table_cells`, and to the lines that stand for them in the report's text.

A spanning label is repeated in every grid position it covers (the table models read a repeated label once);
a spanning value, blank marker or unit fills only its first position and leaves empty padding in the others (which
the table models drop), so that a value is never counted twice. The text keeps each cell once, in a tab-separated
line per row, as a flattened table prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

WHITESPACE = re.compile(r"\s+")
LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z].*[\u4e00-\u9fffA-Za-z（）()]|^[\u4e00-\u9fff]{2,}$")
"""Text that is a label (at least two letters or characters), not a value, a blank marker (无, /) or a unit (件)."""
CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
"""Line breaks and spaces beside a Chinese character: a label wrapped inside its cell, or letter-spacing."""


class TableCell(NamedTuple):
    """One grid position of a table a reader kept as a table (numbered from 1)."""

    table_no: int
    row_no: int
    col_no: int
    cell_text: str


@dataclass(frozen=True)
class SourceCell:
    """A cell as the document writes it: its text and how many rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def clean_cell_text(text: str) -> str:
    """A cell's text on one line: wrapped lines re-joined (without a space between Chinese characters)."""
    text = text.strip()
    if not text:
        return ""
    text = CJK_BREAK.sub("", text)
    return WHITESPACE.sub(" ", text)


def padding(text: str) -> str:
    """What a grid position covered by a spanning cell holds: the label again, or empty padding."""
    return text if LABEL.search(text) and not text[0].isdigit() else ""


def expand_spans(rows: Sequence[Sequence[SourceCell]]) -> list[list[str | None]]:
    """The HTML table algorithm: each cell takes the next free grid position of its row and fills the
    rectangle it spans. Positions no cell covers stay None."""
    grid: list[list[str | None]] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(cell.rowspan, 1000))
            colspan = max(1, min(cell.colspan, 1000))
            for dr in range(rowspan):
                # a rowspan past the last row is cut (browsers do the same)
                if dr and r + dr >= len(rows):
                    break
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
                    while len(grid) <= r + dr:
                        grid.append([])
                    target = grid[r + dr]
                    while len(target) <= c + dc:
                        target.append(None)
                    target[c + dc] = cell.text if dr == dc == 0 else padding(cell.text)
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [row + [None] * (width - len(row)) for row in grid]


def is_data_table(grid: Sequence[Sequence[str | None]]) -> bool:
    """A table of at least two columns with at least one row of two filled cells (not a layout box)."""
    return any(sum(1 for text in row if text) >= 2 for row in grid)


def grid_cells(table_no: int, grid: Sequence[Sequence[str | None]]) -> list[TableCell]:
    return [
        TableCell(table_no, row_no, col_no, text or "")
        for row_no, row in enumerate(grid, start=1)
        for col_no, text in enumerate(row, start=1)
    ]


def row_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """One tab-separated line per row (trailing empty cells dropped), each cell once."""
    lines = []
    for row in rows:
        cells = list(row)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append("\t".join(cells))
    return lines
