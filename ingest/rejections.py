"""Why a file was not loaded, and what the user can do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RejectionReason(StrEnum):
    EMPTY = "empty"
    BLANK = "blank"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    EXTENSION_MISMATCH = "extension_mismatch"
    TOO_LARGE = "too_large"
    UNSUPPORTED_EXTENSION = "unsupported_extension"
    UNREADABLE = "unreadable"
    NO_TEXT_LAYER = "no_text_layer"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    MISSING_TOOL = "missing_tool"


ADVICE: dict[RejectionReason, str] = {
    RejectionReason.EMPTY: "the file has no bytes: download it again",
    RejectionReason.BLANK: "the file holds only whitespace: download it again",
    RejectionReason.BINARY: "this is not a text file: check that the download is the report itself",
    RejectionReason.UNDECODABLE: "no supported encoding fits: convert the file to UTF-8 and ingest it again",
    RejectionReason.EXTENSION_MISMATCH: "the content does not match the extension: rename the file to its real type",
    RejectionReason.TOO_LARGE: "if it is a real report, raise the limit with --max-file-mb or ZFXXGK_MAX_FILE_MB",
    RejectionReason.UNSUPPORTED_EXTENSION: "no reader handles this extension: convert the file to .txt",
    RejectionReason.UNREADABLE: "the file cannot be opened: check that it exists and is readable",
    RejectionReason.NO_TEXT_LAYER: "a scan without a text layer: run OCR on it (e.g. ocrmypdf) and ingest the result",
    RejectionReason.ENCRYPTED: "the document is password-protected: save an unprotected copy and ingest that",
    RejectionReason.CORRUPT: "the document is damaged or cut short: download it again",
    RejectionReason.MISSING_TOOL: "the program this format needs is not installed: install it and ingest again",
}


@dataclass(frozen=True)
class Rejection:
    """One file that was not loaded."""

    source_path: str
    reason: RejectionReason
    detail: str
    file_hash: str | None = None
    byte_size: int | None = None


class RejectedFileError(Exception):
    """Raised by readers and decoders when a file cannot become a report."""

    def __init__(self, reason: RejectionReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
