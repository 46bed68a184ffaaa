"""Word 97-2003 documents (.doc) with antiword (Debian's `antiword`): paragraphs to lines, tables to cells.

No maintained pure-Python package reads the text and tables of Word 97 binaries, so the reader runs antiword and
reads its DocBook output (`antiword -x db`): <para> and <title> blocks become lines (as written, stripped; a line
break inside a paragraph ends a line, as in the DOCX reader), every <informaltable> a table.
antiword writes a table as one <tgroup> per run of rows with the same cells, each with the widths of its cells;
the edges of all cells, taken together, give the table's columns, so a cell as wide as two columns spans two
(ingest/tables.py then repeats a label across them and writes a value once). Word 97 keeps a cell merged down
rows as empty cells below the first one: they stay empty.

Rejected: antiword missing (missing_tool, saying what to install), an encrypted document, and anything antiword
cannot read (corrupt, cut short, not a Word document). Word 6/95 files whose text is in a Chinese code page are
beyond antiword's character mapping and come out garbled or blank.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from ingest.readers import ReadResult, register
from ingest.rejections import RejectedFileError, RejectionReason
from ingest.tables import (
    SourceCell,
    TableCell,
    clean_cell_text,
    expand_spans,
    grid_cells,
    is_data_table,
    row_lines,
)

ANTIWORD = "antiword"
INSTALL_HINT = "antiword is not installed: run `apt-get install antiword` (Debian/Ubuntu) or `make antiword`"
TIMEOUT_SECONDS = 120
DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>", re.DOTALL)
BLOCK_TAGS = {"para", "title", "simpara", "formalpara", "listitem", "footnote", "blockquote", "note"}
CONTAINER_TAGS = {"book", "chapter", "sect1", "sect2", "sect3", "sect4", "sect5", "section", "itemizedlist",
                  "orderedlist", "variablelist", "varlistentry"}  # fmt: skip
SKIPPED_TAGS = {"bookinfo", "info"}
WIDTH = re.compile(r"([\d.]+)\s*pt")
EDGE_TOLERANCE_PT = 1.5
"""Cell edges closer than this (in points) are the same column edge: Word rounds widths row by row."""


class DocReader:
    name = "doc"
    version = "1.0.0"
    extensions = (".doc",)

    def read(self, data: bytes, path: Path) -> ReadResult:
        xml = run_antiword(data)
        try:
            root = ElementTree.fromstring(DOCTYPE.sub(b"", xml, count=1))
        except ElementTree.ParseError as error:
            raise RejectedFileError(RejectionReason.CORRUPT, f"antiword wrote unreadable XML ({error})") from error
        lines: list[str] = []
        cells: list[TableCell] = []
        _blocks(root, lines, cells)
        return ReadResult("\n".join(lines) + "\n" if lines else "", "utf-8", cells=tuple(cells))


def run_antiword(data: bytes) -> bytes:
    """antiword's DocBook XML for the document, or a rejection saying why there is none."""
    executable = shutil.which(ANTIWORD)
    if executable is None:
        raise RejectedFileError(RejectionReason.MISSING_TOOL, INSTALL_HINT)
    with tempfile.NamedTemporaryFile(suffix=".doc") as handle:
        handle.write(data)
        handle.flush()
        try:
            done = subprocess.run(
                [executable, "-x", "db", handle.name], capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise RejectedFileError(
                RejectionReason.CORRUPT, f"antiword did not finish in {TIMEOUT_SECONDS} s"
            ) from error
    message = "; ".join(
        line.strip().rstrip(".").replace(handle.name, "the file")
        for line in done.stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and "mapping file" not in line
    )
    if done.returncode != 0:
        if "encrypted" in message.lower():
            raise RejectedFileError(RejectionReason.ENCRYPTED, f"antiword: {message}")
        raise RejectedFileError(RejectionReason.CORRUPT, f"antiword cannot read it: {message or 'no message'}"[:400])
    return done.stdout


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _blocks(element: ElementTree.Element, lines: list[str], cells: list[TableCell]) -> None:
    """Lines of the block elements under `element` in document order; tables to cells."""
    pending: list[str] = [element.text or ""]

    def flush() -> None:
        # a paragraph keeps its text as written; a line break inside it (antiword writes it as one) ends a line
        lines.extend(line.strip() for line in "".join(pending).splitlines() if line.strip())
        pending.clear()

    for child in element:
        tag = _local(child.tag)
        if tag in SKIPPED_TAGS:
            pass
        elif tag in ("informaltable", "table"):
            flush()
            _table(child, lines, cells)
        elif tag in BLOCK_TAGS or tag in CONTAINER_TAGS:
            flush()
            _blocks(child, lines, cells)
        else:  # inline markup (emphasis, ulink ...)
            pending.append("".join(child.itertext()))
        pending.append(child.tail or "")
    flush()


def _table(table: ElementTree.Element, lines: list[str], cells: list[TableCell]) -> None:
    rows: list[list[tuple[float, float, str]]] = []  # (left edge, right edge, text) of each cell
    for group in table.iter():
        if _local(group.tag) != "tgroup":
            continue
        widths = [_width(spec.get("colwidth")) for spec in group if _local(spec.tag) == "colspec"]
        for row in group.iter():
            if _local(row.tag) != "row":
                continue
            entries = [entry for entry in row if _local(entry.tag) == "entry"]
            row_widths = widths if len(widths) == len(entries) and all(widths) else [1.0] * len(entries)
            left = 0.0
            placed = []
            for entry, width in zip(entries, row_widths, strict=True):
                placed.append((left, left + width, clean_cell_text("".join(entry.itertext()))))
                left += width
            rows.append(placed)
    edges = _column_edges([edge for row in rows for left, right, _ in row for edge in (left, right)])
    source_rows = [
        [
            SourceCell(text, colspan=max(1, _edge_index(edges, right) - _edge_index(edges, left)))
            for left, right, text in row
        ]
        for row in rows
    ]
    grid = expand_spans(source_rows)
    own_texts = [[cell.text for cell in row] for row in source_rows]
    if not is_data_table(grid):
        lines.extend(text for row in own_texts for text in row if text)
        return
    table_no = 1 + max((cell.table_no for cell in cells[-1:]), default=0)
    cells.extend(grid_cells(table_no, grid))
    lines.extend(row_lines(own_texts))


def _width(value: str | None) -> float:
    match = WIDTH.match(value or "")
    return float(match.group(1)) if match else 0.0


def _column_edges(edges: list[float]) -> list[float]:
    """The distinct column edges: edges within EDGE_TOLERANCE_PT of the previous one are the same edge."""
    merged: list[float] = []
    for edge in sorted(edges):
        if not merged or edge - merged[-1] > EDGE_TOLERANCE_PT:
            merged.append(edge)
    return merged


def _edge_index(edges: list[float], edge: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - edge))


register(DocReader())
