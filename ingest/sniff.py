"""Recognise binary formats by their first bytes, to catch files whose extension lies."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


INFLATE_INPUT_BYTES = 1 << 16
INFLATE_OUTPUT_BYTES = 1 << 16
"""A zip member is inflated this many compressed bytes, and at most this many unpacked bytes, at a time."""


def zip_inflated_size(data: bytes, cap: int) -> int | None:
    """The bytes the members of a zip really unpack to, found by inflating them piece by piece (nothing is kept) and
    stopping as soon as the total passes `cap`: a directory can understate a member's size, and Python's zipfile
    (python-docx) inflates a member's whole stream at once before it compares the result with the stated size.
    None when the zip cannot be read or a member's stream is damaged (the reader then rejects the file as corrupt)."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                total += _member_size(data, info, cap - total)
                if total > cap:
                    break
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return None
    return total


def _member_size(data: bytes, info: zipfile.ZipInfo, cap: int) -> int:
    """What one member unpacks to, or a number just past `cap` once it passes it. A stored member is as long as its
    stated size, at most the rest of the file; a member packed with another method than deflate (no Office
    program writes one) counts its stated size."""
    start = _member_data_start(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        return min(info.file_size, len(data) - start)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return info.file_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    view = memoryview(data)
    size, offset, pending = 0, start, b""
    while not inflater.eof and size <= cap:
        if not pending:
            if offset >= len(data):
                break  # the stream is cut short: the reader finds out
            pending, offset = view[offset : offset + INFLATE_INPUT_BYTES], offset + INFLATE_INPUT_BYTES
        size += len(inflater.decompress(pending, INFLATE_OUTPUT_BYTES))
        pending = inflater.unconsumed_tail
    return size


def _member_data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start: after its local header, its name and its extra field."""
    header = data[info.header_offset : info.header_offset + LOCAL_HEADER_BYTES]
    if len(header) < LOCAL_HEADER_BYTES or not header.startswith(b"PK\x03\x04"):
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    return info.header_offset + LOCAL_HEADER_BYTES + name_length + extra_length


LOCAL_HEADER_BYTES = 30

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
