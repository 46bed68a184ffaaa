"""Read one file into a loadable report or a rejection. Runs in worker processes: no database here."""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.readers import Reader, ReadResult, reader_for, text_limit, text_over_limit
from ingest.rejections import ADVICE, RejectedFileError, Rejection, RejectionReason
from ingest.sniff import (
    EXPECTED_KIND,
    content_kind,
    has_pdf_objects,
    is_encrypted_ooxml,
    looks_like_text,
    zip_inflated_size,
    zip_unpacked_size,
)
from ingest.tables import TableCell

BLANK_CHARACTERS = " \t\n\r\f\v\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class ReadTask:
    source_path: str
    known_file_hash: str | None
    """The hash this path had when it was last loaded; equal bytes are not decoded again."""
    max_file_bytes: int


@dataclass(frozen=True)
class LoadedFile:
    source_path: str
    file_hash: str
    byte_size: int
    raw_text: str
    encoding: str
    has_bom: bool
    decode_note: str | None
    reader: str
    reader_version: str
    cells: tuple[TableCell, ...] = ()
    page_line_counts: tuple[int, ...] = ()
    """Lines of the text per page of a paged document (ingest.readers.ReadResult.page_line_counts)."""
    source_url: str | None = None
    """The address the file was saved from, when it names one (ingest.readers.ReadResult.source_url)."""
    is_file_bytes: bool = False
    """The text is the file's bytes decoded as UTF-8 (ingest.readers.ReadResult.is_file_bytes)."""


@dataclass(frozen=True)
class UnchangedFile:
    source_path: str


FileOutcome = LoadedFile | UnchangedFile | Rejection


def read_file(task: ReadTask) -> FileOutcome:
    """Read, check and decode one file. Never raises: a problem becomes a Rejection."""
    path = Path(task.source_path)
    try:
        size = os.stat(path).st_size
    except OSError as error:
        return _reject(task.source_path, RejectionReason.UNREADABLE, _unreadable_detail(path, error))
    if size > task.max_file_bytes:
        detail = f"{size:,} bytes, over the limit of {task.max_file_bytes:,} bytes"
        return _reject(task.source_path, RejectionReason.TOO_LARGE, detail, size)
    reader = reader_for(path)
    expected_kind = EXPECTED_KIND.get(path.suffix.lower())
    if reader is None and expected_kind is None:
        return _reject(
            task.source_path,
            RejectionReason.UNSUPPORTED_EXTENSION,
            f"no reader for '{path.suffix or '(no extension)'}' files",
            size,
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        return _reject(task.source_path, RejectionReason.UNREADABLE, error.strerror or str(error), size)
    file_hash = hashlib.sha256(data).hexdigest()
    if not data:
        return _reject(task.source_path, RejectionReason.EMPTY, "0 bytes", 0, file_hash)
    if task.known_file_hash == file_hash:
        return UnchangedFile(task.source_path)
    kind = content_kind(data)
    if expected_kind == "zip" and is_encrypted_ooxml(data):
        detail = f"the '{path.suffix}' document is encrypted (an OLE container holding an EncryptedPackage)"
        return _reject(task.source_path, RejectionReason.ENCRYPTED, detail, len(data), file_hash)
    if kind != expected_kind:
        return _wrong_content(task.source_path, path.suffix, data, kind, expected_kind, file_hash)
    if reader is None:
        return _reject(
            task.source_path,
            RejectionReason.UNSUPPORTED_EXTENSION,
            f"no reader for '{path.suffix}' files yet",
            len(data),
            file_hash,
        )
    if kind == "zip" and (detail := _zip_over_limit(data, task.max_file_bytes)) is not None:
        return _reject(task.source_path, RejectionReason.TOO_LARGE, detail, len(data), file_hash)
    try:
        result = _read_within_limit(reader, data, path, task.max_file_bytes)
    except RejectedFileError as error:
        return _reject(task.source_path, error.reason, error.detail, len(data), file_hash)
    except Exception as error:  # a parser tripping over a damaged file must not stop the batch
        detail = f"the {reader.name} reader failed: {type(error).__name__}: {error}"[:500]
        return _reject(task.source_path, RejectionReason.CORRUPT, detail, len(data), file_hash)
    if not result.raw_text.strip(BLANK_CHARACTERS + "\ufffd"):
        return _reject(task.source_path, RejectionReason.BLANK, "only whitespace", len(data), file_hash)
    return LoadedFile(
        source_path=task.source_path,
        file_hash=file_hash,
        byte_size=len(data),
        raw_text=result.raw_text,
        encoding=result.encoding,
        has_bom=result.has_bom,
        decode_note=result.decode_note,
        reader=reader.name,
        reader_version=reader.version,
        cells=result.cells,
        page_line_counts=result.page_line_counts,
        source_url=result.source_url,
        is_file_bytes=result.is_file_bytes,
    )


def _unreadable_detail(path: Path, error: OSError) -> str:
    """Why `path` cannot be opened, naming the symbolic links that loop or point nowhere."""
    reason = error.strerror or str(error)
    if error.errno == errno.ELOOP:
        return f"a symbolic link that loops ({reason})"
    if error.errno == errno.ENOENT and path.is_symlink():
        try:
            return f"a symbolic link to {os.readlink(path)}, which does not exist ({reason})"
        except OSError:
            return f"a symbolic link to a file that does not exist ({reason})"
    return reason


def _read_within_limit(reader: Reader, data: bytes, path: Path, limit: int) -> ReadResult:
    """The reader's result, or RejectedFileError (too_large) once its text passes `limit` characters: readers
    whose text can outgrow the file check as they go (ingest.readers.text_over_limit), the rest when done."""
    with text_limit(limit):
        result = reader.read(data, path)
        too_large = text_over_limit(len(result.raw_text), f"by the {reader.name} reader")
    if too_large is not None:
        raise too_large
    return result


def _zip_over_limit(data: bytes, limit: int) -> str | None:
    """Why a zip (.docx, .xlsx) unpacks to more than `limit` bytes, or None when it does not: first the sizes its
    directory states, then, since a directory can lie, what its members really inflate to (stopping at the limit)."""
    stated = zip_unpacked_size(data)
    if stated is None:
        return None
    if stated > limit:
        return f"{stated:,} bytes unpacked, over the limit of {limit:,} bytes"
    inflated = zip_inflated_size(data, limit)
    if inflated is not None and inflated > limit:
        return (
            f"{inflated:,} bytes unpacked when unpacking stopped (its zip directory states {stated:,}), "
            f"over the limit of {limit:,} bytes"
        )
    return None


def _wrong_content(
    source_path: str, suffix: str, data: bytes, kind: str | None, expected_kind: str | None, file_hash: str
) -> Rejection:
    """A file whose content is not what its extension promises. Another known format, or text, is a misnamed file
    (extension_mismatch); bytes of no known format under a binary extension are a damaged file (corrupt)."""
    wanted = f"a {expected_kind} file" if expected_kind else "text"
    if kind is None and expected_kind == "pdf" and has_pdf_objects(data):
        detail = f"'{suffix}' promises {wanted}, the content has PDF objects but no %PDF- header"
        return _reject(source_path, RejectionReason.CORRUPT, detail, len(data), file_hash)
    if kind is None and expected_kind is not None and not looks_like_text(data):
        detail = f"'{suffix}' promises {wanted}, the content is neither that nor any known format or text"
        return _reject(source_path, RejectionReason.CORRUPT, detail, len(data), file_hash)
    found = f"a {kind} file" if kind else "text"
    detail = f"'{suffix}' promises {wanted}, the content is {found}"
    return _reject(source_path, RejectionReason.EXTENSION_MISMATCH, detail, len(data), file_hash)


def _reject(
    source_path: str,
    reason: RejectionReason,
    detail: str,
    byte_size: int | None = None,
    file_hash: str | None = None,
) -> Rejection:
    return Rejection(source_path, reason, f"{detail}; {ADVICE[reason]}", file_hash, byte_size)
