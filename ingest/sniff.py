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


ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
"""The stream an encrypted .docx/.xlsx keeps its zip in: Office wraps it in an OLE container (MS-OFFCRYPTO)."""


def is_encrypted_ooxml(data: bytes) -> bool:
    """An Office Open XML document saved with a password: an OLE container naming an EncryptedPackage stream."""
    return content_kind(data) == "ole" and ENCRYPTED_PACKAGE in data


def zip_unpacked_size(data: bytes) -> int | None:
    """The sum of the uncompressed sizes in a zip's central directory (read without unpacking anything), or None
    when the directory cannot be read (the reader then rejects the file as corrupt)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


TEXT_SNIFF_BYTES = 4096
"""How much of a file decides whether it is text, when its extension promised a binary format."""


def looks_like_text(data: bytes) -> bool:
    """Whether the start of `data` decodes as text (an HTML error page, a report saved under the wrong name), as
    opposed to bytes of no known format: a damaged file."""
    from ingest.decode import decode_bytes
    from ingest.rejections import RejectedFileError

    try:
        decode_bytes(data[:TEXT_SNIFF_BYTES])
    except RejectedFileError:
        return False
    return True


def has_pdf_objects(data: bytes) -> bool:
    """PDF objects (`endobj`) without the `%PDF-` header: a PDF whose start is damaged or cut off."""
    return b"endobj" in data[: 1024 * 1024]
