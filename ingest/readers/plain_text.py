"""Plain text reports (.txt, .text, .md): decode the bytes, keep the text as it is."""

from __future__ import annotations

from pathlib import Path

from ingest.decode import decode_bytes
from ingest.readers import ReadResult, register


class PlainTextReader:
    name = "plain_text"
    version = "1.1.0"
    extensions = (".txt", ".text", ".md")

    def read(self, data: bytes, path: Path) -> ReadResult:
        decoded = decode_bytes(data)
        is_file_bytes = decoded.encoding == "utf-8" and not decoded.has_bom and decoded.note is None
        return ReadResult(decoded.text, decoded.encoding, decoded.has_bom, decoded.note, is_file_bytes=is_file_bytes)


register(PlainTextReader())
