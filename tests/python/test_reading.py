"""One file to a loaded report or a rejection, with the reason and what to do next."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest
from conftest import SEED_SENTENCE

from ingest.read import LoadedFile, ReadTask, UnchangedFile, read_file
from ingest.readers import reader_for, supported_extensions
from ingest.rejections import ADVICE, Rejection, RejectionReason

LIMIT = 1024 * 1024
RANDOM_BYTES = random.Random(20).randbytes(8192)
"""A download that is no file at all, the same on every run."""


def read(path: Path, known_hash: str | None = None, limit: int = LIMIT) -> LoadedFile | UnchangedFile | Rejection:
    return read_file(ReadTask(str(path), known_hash, limit))


def test_a_good_file_is_loaded_with_its_hash_and_reader(tmp_path: Path) -> None:
    data = SEED_SENTENCE.encode("utf-8")
    (tmp_path / "r.txt").write_bytes(data)

    assert read(tmp_path / "r.txt") == LoadedFile(
        source_path=str(tmp_path / "r.txt"),
        file_hash=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
        raw_text=SEED_SENTENCE,
        encoding="utf-8",
        has_bom=False,
        decode_note=None,
        reader="plain_text",
        reader_version="1.1.0",
        is_file_bytes=True,
    )


def test_unchanged_bytes_are_not_decoded_again(tmp_path: Path) -> None:
    data = SEED_SENTENCE.encode("utf-8")
    (tmp_path / "r.txt").write_bytes(data)

    assert read(tmp_path / "r.txt", hashlib.sha256(data).hexdigest()) == UnchangedFile(str(tmp_path / "r.txt"))


@pytest.mark.parametrize(
    ("name", "content", "reason", "detail"),
    [
        ("empty.txt", b"", RejectionReason.EMPTY, "0 bytes"),
        ("blank.txt", " \n\t\r\n\u3000\u00a0\n".encode(), RejectionReason.BLANK, "only whitespace"),
        ("nul.txt", b"\x00" * 64, RejectionReason.BINARY, "64 NUL bytes: not a text file"),
        ("high.txt", bytes(range(0x80, 0x100)) * 4, RejectionReason.UNDECODABLE,
         "not valid in any of utf-8, gb18030, big5, utf-16 (each leaves more than 5 of its 512 bytes undecodable)"),
        ("text.pdf", SEED_SENTENCE.encode(), RejectionReason.EXTENSION_MISMATCH,
         "'.pdf' promises a pdf file, the content is text"),
        ("page.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", RejectionReason.EXTENSION_MISMATCH,
         "'.pdf' promises a pdf file, the content is text"),
        ("archive.pdf", b"PK\x03\x04" + bytes(26), RejectionReason.EXTENSION_MISMATCH,
         "'.pdf' promises a pdf file, the content is a zip file"),
        ("random.pdf", RANDOM_BYTES, RejectionReason.CORRUPT,
         "'.pdf' promises a pdf file, the content is neither that nor any known format or text"),
        ("headless.pdf", b"1 0 obj\n<< /Type /Catalog >>\nendobj\n", RejectionReason.CORRUPT,
         "'.pdf' promises a pdf file, the content has PDF objects but no %PDF- header"),
        ("random.docx", RANDOM_BYTES, RejectionReason.CORRUPT,
         "'.docx' promises a zip file, the content is neither that nor any known format or text"),
        ("scan.txt", b"%PDF-1.7\n%binary", RejectionReason.EXTENSION_MISMATCH,
         "'.txt' promises text, the content is a pdf file"),
        ("report.docx", SEED_SENTENCE.encode(), RejectionReason.EXTENSION_MISMATCH,
         "'.docx' promises a zip file, the content is text"),
        ("real.pdf", b"%PDF-1.7\n%binary", RejectionReason.CORRUPT,
         "pdfium cannot open it (Failed to load document (PDFium: Data format error).)"),
        ("sheet.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), RejectionReason.UNSUPPORTED_EXTENSION,
         "no reader for '.wps' files yet"),
        ("sheet.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), RejectionReason.CORRUPT,
         "antiword cannot read it: the file is not a Word Document"),
        ("sheet.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), RejectionReason.CORRUPT,
         "not a readable workbook: an Excel 97-2003 workbook (.xls) (CalamineError: Cfb error: Invalid OLE "
         "(16 bytes is too small))"),
        ("sheet.xyz", SEED_SENTENCE.encode(), RejectionReason.UNSUPPORTED_EXTENSION, "no reader for '.xyz' files"),
        ("README", SEED_SENTENCE.encode(), RejectionReason.UNSUPPORTED_EXTENSION,
         "no reader for '(no extension)' files"),
    ],
)  # fmt: skip
def test_bad_files_are_rejected_with_reason_and_advice(
    tmp_path: Path, name: str, content: bytes, reason: RejectionReason, detail: str
) -> None:
    (tmp_path / name).write_bytes(content)

    rejection = read(tmp_path / name)

    assert isinstance(rejection, Rejection)
    assert (rejection.source_path, rejection.reason) == (str(tmp_path / name), reason)
    assert rejection.detail == f"{detail}; {ADVICE[reason]}"
    assert rejection.byte_size == len(content)


def test_a_file_over_the_limit_is_rejected_without_reading_it(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_bytes(b"a" * 2000)

    rejection = read(tmp_path / "huge.txt", limit=1000)

    assert rejection == Rejection(
        str(tmp_path / "huge.txt"),
        RejectionReason.TOO_LARGE,
        f"2,000 bytes, over the limit of 1,000 bytes; {ADVICE[RejectionReason.TOO_LARGE]}",
        None,
        2000,
    )


def test_a_dangling_symlink_is_unreadable(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")

    rejection = read(tmp_path / "link.txt")

    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.UNREADABLE
    assert rejection.detail == (
        f"a symbolic link to {tmp_path / 'gone.txt'}, which does not exist (No such file or directory); "
        f"{ADVICE[RejectionReason.UNREADABLE]}"
    )


def test_a_symlink_that_loops_is_unreadable(tmp_path: Path) -> None:
    os.symlink("loop", tmp_path / "loop")

    rejection = read(tmp_path / "loop")

    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.UNREADABLE
    assert rejection.detail == (
        f"a symbolic link that loops (Too many levels of symbolic links); {ADVICE[RejectionReason.UNREADABLE]}"
    )


def test_the_registry_maps_text_extensions_in_any_case() -> None:
    assert supported_extensions() == [
        ".doc", ".docx", ".htm", ".html", ".md", ".pdf", ".shtml", ".text", ".txt", ".xhtml", ".xls", ".xlsx"
    ]  # fmt: skip
    for name in ("a.txt", "b.TXT", "c.Text", "d.md"):
        reader = reader_for(Path(name))
        assert reader is not None and reader.name == "plain_text"
    assert reader_for(Path("e.wps")) is None
