"""Word documents (.docx) with python-docx: paragraphs to lines and tables to cells, in the order of the body.

Merged cells (gridSpan across columns, vMerge down rows) fill every grid position they cover; the text keeps
each cell once, a tab-separated line per row. A file python-docx cannot open is rejected as corrupt.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.readers import ReadResult, register
from ingest.rejections import RejectedFileError, RejectionReason
from ingest.tables import TableCell, clean_cell_text, grid_cells, is_data_table, padding, row_lines


class DocxReader:
    name = "docx"
    version = "1.0.0"
    extensions = (".docx",)

    def read(self, data: bytes, path: Path) -> ReadResult:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        try:
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise RejectedFileError(RejectionReason.CORRUPT, f"not a readable Word document ({error})") from error
        except Exception as error:  # lxml and python-docx raise many kinds on a damaged package
            raise RejectedFileError(RejectionReason.CORRUPT, f"not a readable Word document ({error!r})") from error
        lines: list[str] = []
        cells: list[TableCell] = []
        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                text = Paragraph(element, document).text.strip()
                if text:
                    lines.append(text)
            elif tag == "tbl":
                self._table(Table(element, document), lines, cells)
        return ReadResult("\n".join(lines) + "\n", "utf-8", decode_note=None, cells=tuple(cells))

    @staticmethod
    def _table(table, lines: list[str], cells: list[TableCell]) -> None:
        grid: list[list[str | None]] = []
        own_cells: list[list[str]] = []
        seen: set = set()  # the <w:tc> elements met so far (the set keeps them, so identity is stable)
        for row in table.rows:
            grid_row: list[str | None] = []
            own: list[str] = []
            for cell in row.cells:
                text = clean_cell_text(cell.text)
                if cell._tc in seen:
                    grid_row.append(padding(text))
                else:
                    seen.add(cell._tc)
                    grid_row.append(text)
                    own.append(text)
            grid.append(grid_row)
            own_cells.append(own)
        width = max((len(row) for row in grid), default=0)
        grid = [row + [None] * (width - len(row)) for row in grid]
        if not is_data_table(grid):
            lines.extend(text for row in own_cells for text in row if text)
            return
        table_no = 1 + max((cell.table_no for cell in cells[-1:]), default=0)
        cells.extend(grid_cells(table_no, grid))
        lines.extend(row_lines(own_cells))


register(DocxReader())
