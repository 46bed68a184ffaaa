"""Recognise binary formats by their first bytes, to catch files whose extension lies."""

from __future__ import annotations

SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "pdf",
    b"PK\x03\x04": "zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"\x1f\x8b": "gzip",
    b"Rar!": "rar",
    b"7z\xbc\xaf\x27\x1c": "7z",
}

EXPECTED_KIND: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "zip",
    ".xlsx": "zip",
    ".pptx": "zip",
    ".odt": "zip",
    ".zip": "zip",
    ".doc": "ole",
    ".xls": "ole",
    ".wps": "ole",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
}
"""What the content of a file with this extension must start with."""


def content_kind(data: bytes) -> str | None:
    """The binary format `data` starts with, or None for anything else (text included)."""
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None
