"""Bytes to text: every encoding a scraped folder holds, damaged files, and what is not text."""

from __future__ import annotations

import codecs

import pytest
from conftest import SEED_SENTENCE, TRADITIONAL_SENTENCE

from ingest.decode import decode_bytes
from ingest.rejections import RejectedFileError, RejectionReason

TEXT = SEED_SENTENCE * 5
TRADITIONAL = TRADITIONAL_SENTENCE * 5


@pytest.mark.parametrize(
    ("data", "encoding", "has_bom", "text"),
    [
        (TEXT.encode("utf-8"), "utf-8", False, TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", True, TEXT),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True, TEXT),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", True, TEXT),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", True, TEXT),
        (TEXT.encode("utf-16-le"), "utf-16-le", False, TEXT),
        (TEXT.encode("utf-16-be"), "utf-16-be", False, TEXT),
        ("ASCII only report 2018\n".encode("utf-16-le"), "utf-16-le", False, "ASCII only report 2018\n"),
        (TEXT.encode("gbk"), "gb18030", False, TEXT),
        (("㶮€" + TEXT).encode("gb18030"), "gb18030", False, "㶮€" + TEXT),
        (TRADITIONAL.encode("big5"), "big5", False, TRADITIONAL),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf16le", "utf16be", "utf16-ascii",
         "gbk", "gb18030-4byte", "big5"],
)  # fmt: skip
def test_encodings_decode_to_the_original_text(data: bytes, encoding: str, has_bom: bool, text: str) -> None:
    decoded = decode_bytes(data)

    assert (decoded.encoding, decoded.has_bom, decoded.note) == (encoding, has_bom, None)
    assert decoded.text == text


def test_short_gbk_and_big5_are_told_apart() -> None:
    assert decode_bytes("政府信息公开工作报告".encode("gbk")).encoding == "gb18030"
    assert decode_bytes("政府信息公開工作報告".encode("big5")).encoding == "big5"


def test_utf8_cut_inside_a_character_loads_with_a_note() -> None:
    data = "报告全文".encode()[:-1]

    decoded = decode_bytes(data)

    assert decoded.text == "报告全\ufffd"
    assert decoded.encoding == "utf-8"
    assert decoded.note == "truncated inside a multi-byte character: last 2 byte(s) replaced by U+FFFD"


def test_gbk_cut_inside_a_character_loads_with_a_note() -> None:
    data = TEXT.rstrip().encode("gbk")[:-1]

    decoded = decode_bytes(data)

    assert decoded.text == TEXT.rstrip()[:-1] + "\ufffd"
    assert decoded.encoding == "gb18030"
    assert decoded.note == "truncated inside a multi-byte character: last 1 byte(s) replaced by U+FFFD"


def test_utf16_with_an_odd_byte_count_loads_with_a_note() -> None:
    decoded = decode_bytes(TEXT.encode("utf-16-le") + b"\x41")

    assert (decoded.encoding, decoded.text) == ("utf-16-le", TEXT + "\ufffd")
    assert decoded.note == "truncated inside a multi-byte character: last 1 byte(s) replaced by U+FFFD"


def test_a_few_invalid_bytes_in_utf8_are_replaced_and_noted() -> None:
    data = (TEXT * 4).encode("utf-8")
    data = data[:200] + b"\xff" + data[200:]

    decoded = decode_bytes(data)

    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 1
    assert decoded.note == "1 invalid utf-8 sequence(s) replaced by U+FFFD, first at byte 200"


@pytest.mark.parametrize(
    ("data", "reason", "detail"),
    [
        (b"\x00" * 512, RejectionReason.BINARY, "512 NUL bytes: not a text file"),
        (bytes(range(256)) * 8, RejectionReason.BINARY, "8 NUL bytes and not valid utf-16-be"),
        (b"\x01\x02\x03\x04report\x05\x06\x07\x08" * 20, RejectionReason.BINARY,
         "decodes as utf-8 but is full of control characters"),
        (bytes(range(0x80, 0x100)) * 4, RejectionReason.UNDECODABLE,
         "not valid in any of utf-8, gb18030, big5, utf-16"),
    ],
    ids=["nul-bytes", "all-byte-values", "control-characters", "high-bytes"],
)  # fmt: skip
def test_what_is_not_text_is_rejected(data: bytes, reason: RejectionReason, detail: str) -> None:
    with pytest.raises(RejectedFileError) as raised:
        decode_bytes(data)

    assert (raised.value.reason, raised.value.detail) == (reason, detail)
