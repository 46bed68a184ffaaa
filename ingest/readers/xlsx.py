"""Excel workbooks (.xlsx, Office Open XML) with python-calamine: every visible sheet's table to cells.

A statistics table attached to a report page (附件：政府信息公开情况统计表.xlsx) becomes a report of its own; its
title row is its first line. ingest/sheets.py turns the sheets into lines and cells. The unpacked size of the zip
is checked against the file size limit before reading (ingest/read.py); an encrypted workbook (an OLE container
holding an EncryptedPackage) is rejected as encrypted before it gets here.
"""

from __future__ import annotations

from pathlib import Path

from ingest.readers import ReadResult, register
from ingest.sheets import read_workbook


class XlsxReader:
    name = "xlsx"
    version = "1.0.0"
    extensions = (".xlsx",)

    def read(self, data: bytes, path: Path) -> ReadResult:
        return read_workbook(data, ".xlsx", "an Excel workbook (.xlsx)")


register(XlsxReader())
