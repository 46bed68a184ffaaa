"""Excel 97-2003 workbooks (.xls, BIFF8 in an OLE container) with python-calamine, as the .xlsx reader does.

A workbook saved with a password (a FILEPASS record) is rejected as encrypted; one calamine cannot parse, as corrupt.
"""

from __future__ import annotations

from pathlib import Path

from ingest.readers import ReadResult, register
from ingest.sheets import read_workbook


class XlsReader:
    name = "xls"
    version = "1.0.0"
    extensions = (".xls",)

    def read(self, data: bytes, path: Path) -> ReadResult:
        return read_workbook(data, ".xls", "an Excel 97-2003 workbook (.xls)")


register(XlsReader())
