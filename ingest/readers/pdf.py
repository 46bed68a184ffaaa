"""PDF reports: text with pypdfium2 (fast, permissive licence), tables with pdfplumber.

- Text: each page's text layer in reading order; page numbers (`- 3 -`, `第3页 共5页`) and running headers or
  footers (the same first or last line on most pages) dropped; a prose line that runs to the right margin and
  stops mid-sentence joined to the next (the page wrapped it). Table rows stay in the text as the layer prints
  them, so prose, sections and evidence see them.
- Tables: pdfplumber's ruled tables, only on pages that draw lines at all; a cell spanning rows or columns fills
  every grid position it covers, labels wrapped inside a cell are joined, and a table that goes on at the top of
  the next page with the same columns continues the same table.
- Pages: how many lines of the text each page gives (`ReadResult.page_line_counts`, landed as raw.report_pages),
  so that a value's line maps to the page it is printed on.
- Rejected: no text layer (a scan), encrypted (a password is needed), corrupt (pdfium cannot open it).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

from ingest.readers import ReadResult, register, text_over_limit
from ingest.rejections import RejectedFileError, RejectionReason
from ingest.tables import TableCell, clean_cell_text, grid_cells, is_data_table, padding

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–~]\s*\d{1,4}\s*[-—–~]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
WRAP_END = re.compile(r"[\u4e00-\u9fff，、（《“(]$")
"""A wrapped prose line ends inside a sentence: on a Chinese character or an opening mark, not 。；：！？ or a digit."""
ENUMERATED_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")
PROSE_CHARS = 40
"""A row whose only cell holds more characters than this is prose in a page frame, not a table row."""
MIN_TEXT_CHARS = 20
"""Fewer visible characters than this in the whole document: a scan without a text layer."""


class PdfReader:
    name = "pdf"
    version = "1.1.0"
    """1.1.0: the lines each page gives (raw.report_pages), so that values carry their page number."""
    extensions = (".pdf",)

    def read(self, data: bytes, path: Path) -> ReadResult:
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise RejectedFileError(RejectionReason.ENCRYPTED, "the PDF needs a password to open") from error
            raise RejectedFileError(RejectionReason.CORRUPT, f"pdfium cannot open it ({error})") from error
        try:
            pages, ruled_pages = _page_texts(document)
        except pdfium.PdfiumError as error:
            raise RejectedFileError(RejectionReason.CORRUPT, f"pdfium cannot read its pages ({error})") from error
        finally:
            document.close()
        visible = sum(len(re.sub(r"\s", "", line)) for page in pages for line in page)
        if visible < MIN_TEXT_CHARS:
            raise RejectedFileError(
                RejectionReason.NO_TEXT_LAYER, f"{len(pages)} page(s) with {visible} character(s) of text: a scan"
            )
        pages = _without_running_lines(pages)
        text = "\n".join(line for page in pages for line in page) + "\n"
        cells = _table_cells(data, ruled_pages) if ruled_pages else []
        return ReadResult(text, "pdf-text", cells=tuple(cells), page_line_counts=_page_line_counts(pages))


def _page_line_counts(pages: list[list[str]]) -> tuple[int, ...]:
    """The lines each page gives in the normalized text: one per line, plus one per line break inside a line that
    normalization turns into a line feed (a form feed, a Unicode line separator)."""
    from ingest.normalize import LINE_BREAKS

    return tuple(sum(1 + len(re.findall(LINE_BREAKS, line)) for line in page) for page in pages)


def _page_texts(document) -> tuple[list[list[str]], list[int]]:
    """The lines of each page (page numbers dropped, wrapped prose joined), and the pages that draw paths."""
    import pypdfium2.raw as pdfium_c

    pages: list[list[str]] = []
    ruled: list[int] = []
    text_chars = 0
    for page_index in range(len(document)):
        page = document[page_index]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            # compressed content streams can hold far more text than the file's size: stop at the limit
            text_chars += len(text)
            too_large = text_over_limit(text_chars, f"by page {page_index + 1} of {len(document)}")
            if too_large is None:
                raw_lines, rights = _lines_and_right_edges(textpage, text)
        finally:
            textpage.close()
        if too_large is not None:
            page.close()
            raise too_large
        if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)):
            ruled.append(page_index)
        page.close()
        pages.append(_joined_lines(raw_lines, rights))
    return pages, ruled


def _lines_and_right_edges(textpage, text: str) -> tuple[list[str], list[float | None]]:
    """A page's lines, and the right edge of the last character of each line that may have been wrapped."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # the right edge of each line's last character (text and char indices match: \r\n are chars too)
    rights: list[float | None] = []
    index = 0
    for line in text.split("\r\n"):
        stripped = line.rstrip()
        if len(stripped) >= 2 and WRAP_END.search(stripped):
            rights.append(textpage.get_charbox(index + len(stripped) - 1)[2])
        else:
            rights.append(None)
        index += len(line) + 2
    if len(rights) != len(raw_lines):
        rights = [None] * len(raw_lines)
    return raw_lines, rights


def _joined_lines(lines: list[str], rights: list[float | None]) -> list[str]:
    known = [right for right in rights if right is not None]
    margin = max(known, default=0.0)
    out: list[str] = []
    pending = ""
    for line, right in zip(lines, rights, strict=True):
        if PAGE_NUMBER.match(line):
            continue
        line = line.strip()
        if pending and (not line or ENUMERATED_START.match(line)):
            out.append(pending)
            pending = ""
        line = pending + line
        pending = ""
        if not line:
            continue
        # wrapped: runs to within two characters' width of the page's right margin, mid-sentence
        if right is not None and right >= margin - 24 and len(known) >= 3:
            pending = line
        else:
            out.append(line)
    if pending:
        out.append(pending)
    return out


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop a first or last line that most pages share (digits aside): a running header or footer."""
    if len(pages) < 2:
        return pages
    shape = Counter()
    for page in pages:
        for line in {page[0], page[-1]} if page else set():
            shape[re.sub(r"\d+", "#", line)] += 1
    running = {line for line, count in shape.items() if count >= max(2, len(pages) // 2 + 1)}
    if not running:
        return pages
    return [
        [line for i, line in enumerate(page) if not (i in (0, len(page) - 1) and re.sub(r"\d+", "#", line) in running)]
        for page in pages
    ]


def _table_cells(data: bytes, page_indexes: list[int]) -> list[TableCell]:
    """The ruled tables of these pages as cells; a table continued at the top of the next page is one table."""
    import pdfplumber

    grids: list[list[list[str | None]]] = []
    last_page = -2
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in page_indexes]) as pdf:
            for page_index, page in zip(page_indexes, pdf.pages, strict=True):
                tables = [grid for grid in (_grid(table) for table in page.find_tables()) if is_data_table(grid)]
                for n, grid in enumerate(tables):
                    continues = n == 0 and grids and last_page == page_index - 1 and len(grids[-1][0]) == len(grid[0])
                    if continues:
                        grids[-1].extend(grid)
                    else:
                        grids.append(grid)
                if tables:
                    last_page = page_index
                page.close()
    except Exception:  # pdfminer trips over damage pdfium forgives: keep the text, hand over no tables
        return []
    return [cell for table_no, grid in enumerate(grids, start=1) for cell in grid_cells(table_no, grid)]


def _grid(table) -> list[list[str | None]]:
    """pdfplumber's table with spans expanded: a grid position no cell starts at takes the cell covering it."""
    extracted = table.extract()
    texts: dict[tuple, str] = {}
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None and r < len(extracted) and c < len(extracted[r]):
                texts[tuple(bbox)] = clean_cell_text(extracted[r][c] or "")
    if not texts:
        return []
    # grid lines: where cells start, and the table's far edges
    xs = [*sorted({round(x0, 1) for x0, _, _, _ in texts}), max(x1 for _, _, x1, _ in texts)]
    ys = [*sorted({round(top, 1) for _, top, _, _ in texts}), max(bottom for _, _, _, bottom in texts)]
    grid: list[list[str | None]] = []
    for r in range(len(ys) - 1):
        y = (ys[r] + ys[r + 1]) / 2
        out: list[str | None] = []
        for c in range(len(xs) - 1):
            x = (xs[c] + xs[c + 1]) / 2
            covering = [
                ((x1 - x0) * (bottom - top), round(x0, 1) == xs[c] and round(top, 1) == ys[r], text)
                for (x0, top, x1, bottom), text in texts.items()
                if x0 <= x <= x1 and top <= y <= bottom
            ]
            if not covering:
                out.append(None)
                continue
            _, is_origin, text = min(covering)
            out.append(text if is_origin else padding(text))
        # a paragraph of prose inside a page frame pdfplumber took for a table: not a row of the table
        filled = {text for text in out if text}
        if not (len(filled) == 1 and any("。" in text or len(text) > PROSE_CHARS for text in filled)):
            grid.append(out)
    return grid


register(PdfReader())
