"""Bytes to text: every encoding a scraped folder holds, damaged files, and what is not text."""

from __future__ import annotations

import codecs

import pytest
from conftest import SAMPLE_DIR, SEED_SENTENCE, TRADITIONAL_SENTENCE

from ingest.decode import decode_bytes
from ingest.rejections import RejectedFileError, RejectionReason

TEXT = SEED_SENTENCE * 5
TRADITIONAL = TRADITIONAL_SENTENCE * 5
REPORT = (SAMPLE_DIR / "001_082f890431297067.txt").read_text(encoding="utf-8")
"""A real report (3,562 characters, 6,150 bytes in GBK)."""


def damaged(data: bytes, offsets: tuple[int, ...], byte: int = 0xFF) -> bytes:
    """`data` with the byte at each of `offsets` overwritten by `byte`."""
    corrupt = bytearray(data)
    for offset in offsets:
        corrupt[offset] = byte
    return bytes(corrupt)


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
    assert decoded.text == (TEXT * 4)[:84] + "\ufffd" + (TEXT * 4)[84:]
    assert decoded.note == "1 undecodable byte replaced by U+FFFD at byte offset 200"


def test_gbk_with_a_few_damaged_bytes_loads_with_the_damage_noted() -> None:
    # 1204 is the second byte of 、 (A1 A2), 3530 the first of 题 (CC E2), 5001 a newline.
    data = damaged(REPORT.encode("gbk"), (1204, 3530, 5001))

    decoded = decode_bytes(data)

    assert (decoded.encoding, decoded.has_bom) == ("gb18030", False)
    assert decoded.note == "5 undecodable bytes replaced by U+FFFD at byte offsets 1203, 3530, 5001"
    assert decoded.text[632:650] == "福朝阳行动计划》\ufffd\ufffd幸福朝阳行动计划"
    assert decoded.text[1871:1887] == "但还存在着一些问\ufffd\ufffd,主要表现在"
    assert decoded.text[2815:2829] == "答复数 |\n件 |\ufffd|\n4."
    assert decoded.text == (
        REPORT[:640] + "\ufffd\ufffd" + REPORT[641:1878] + "\ufffd\ufffd" + REPORT[1879:2822] + "\ufffd" + REPORT[2823:]
    )


def test_utf8_with_the_same_damage_stays_utf8() -> None:
    data = damaged(REPORT.encode("utf-8"), (1204, 3530, 5001))

    decoded = decode_bytes(data)

    assert decoded.encoding == "utf-8"
    assert decoded.note == "9 undecodable bytes replaced by U+FFFD at byte offsets 1203, 3529, 5000"
    # Each damaged character (处, “, 及: three bytes each) becomes three U+FFFD.
    assert decoded.text[437:452] == "核中予以扣分\ufffd\ufffd\ufffd理,切实将工"
    assert decoded.text == (
        REPORT[:443] + "\ufffd" * 3 + REPORT[444:1273] + "\ufffd" * 3 + REPORT[1274:1812] + "\ufffd" * 3 + REPORT[1813:]
    )


def test_big5_with_a_damaged_byte_stays_big5() -> None:
    data = damaged((TRADITIONAL_SENTENCE * 20).encode("big5"), (100, 700))

    decoded = decode_bytes(data)

    assert decoded.encoding == "big5"
    assert decoded.note == "3 undecodable bytes replaced by U+FFFD at byte offsets 100, 699"
    assert decoded.text[:60] == TRADITIONAL_SENTENCE + "本報告根據《中華人民共\ufffdM國政府信息"


def test_damaged_big5_that_is_still_valid_gb18030_stays_big5() -> None:
    # 0x80 is no Big5 trail byte and a GBK one: the damaged file decodes as GB18030 (as junk) without an error.
    data = damaged((TRADITIONAL_SENTENCE * 20).encode("big5"), (91, 91 + 78 * 8), byte=0x80)

    decoded = decode_bytes(data)

    assert decoded.encoding == "big5"
    assert decoded.note == "4 undecodable bytes replaced by U+FFFD at byte offsets 90, 714"
    broken = TRADITIONAL_SENTENCE.replace("中", "\ufffd\ufffd", 1)
    assert decoded.text[42:61] == "本報告根據《\ufffd\ufffd華人民共和國政府信息公"
    assert decoded.text == TRADITIONAL_SENTENCE + broken + TRADITIONAL_SENTENCE * 7 + broken + TRADITIONAL_SENTENCE * 10


def test_utf8_with_stray_nul_bytes_stays_utf8() -> None:
    data = damaged(REPORT.encode("utf-8"), (100, 2000), byte=0x00)

    decoded = decode_bytes(data)

    assert decoded.encoding == "utf-8"
    assert decoded.note == "4 undecodable bytes replaced by U+FFFD at byte offsets 99, 101, 2001"
    assert (
        decoded.text[:44]
        == "一、概述\n2016年我区政府信息公开工作,依据《中办国办关于全面推进政务公\ufffd\x00\ufffd工作的意"
    )


def test_utf8_damaged_past_the_limit_with_nul_bytes_is_rejected_not_read_as_utf16() -> None:
    data = damaged(REPORT.encode("utf-8"), tuple(range(7, 8000, 50)), byte=0x00)

    with pytest.raises(RejectedFileError) as raised:
        decode_bytes(data)

    assert (raised.value.reason, raised.value.detail) == (
        RejectionReason.UNDECODABLE,
        "damaged utf-8: 290 of its 8,738 bytes are undecodable, over the limit of 87",
    )


def test_damage_beyond_five_places_is_counted_not_listed() -> None:
    # The first seven line breaks of the report, at these byte offsets in GBK, each overwritten.
    data = damaged(REPORT.encode("gbk"), (8, 434, 572, 883, 1327, 1553, 2035))

    decoded = decode_bytes(data)

    assert decoded.encoding == "gb18030"
    assert decoded.note == "7 undecodable bytes replaced by U+FFFD at byte offsets 8, 434, 572, 883, 1327 and 2 more"
    lines = REPORT.split("\n")
    assert decoded.text == "\ufffd".join(lines[:8]) + "\n" + "\n".join(lines[8:])


def test_utf8_damaged_beyond_the_limit_is_rejected_not_read_as_gb18030() -> None:
    data = REPORT.encode("utf-8")
    corrupt = damaged(data, tuple(range(7, len(data), 150)))  # 59 bytes, each breaking a character

    with pytest.raises(RejectedFileError) as raised:
        decode_bytes(corrupt)

    assert raised.value.reason == RejectionReason.UNDECODABLE
    assert raised.value.detail == "damaged utf-8: 165 of its 8,738 bytes are undecodable, over the limit of 87"


def test_gbk_damaged_beyond_the_limit_is_rejected() -> None:
    data = REPORT.encode("gbk")
    corrupt = damaged(data, tuple(range(0, len(data), 50)))  # 2% of the bytes, over the limit of 1%

    with pytest.raises(RejectedFileError) as raised:
        decode_bytes(corrupt)

    assert raised.value.reason == RejectionReason.UNDECODABLE
    assert raised.value.detail == (
        "not valid in any of utf-8, gb18030, big5, utf-16 (each leaves more than 61 of its 6,150 bytes undecodable)"
    )


@pytest.mark.parametrize(
    ("data", "reason", "detail"),
    [
        (b"\x00" * 512, RejectionReason.BINARY, "512 NUL bytes: not a text file"),
        (bytes(range(256)) * 8, RejectionReason.BINARY, "8 NUL bytes and not valid utf-16-be"),
        (b"\x01\x02\x03\x04report\x05\x06\x07\x08" * 20, RejectionReason.BINARY,
         "decodes as utf-8 but is full of control characters"),
        (bytes(range(0x80, 0x100)) * 4, RejectionReason.UNDECODABLE,
         "not valid in any of utf-8, gb18030, big5, utf-16 (each leaves more than 5 of its 512 bytes undecodable)"),
    ],
    ids=["nul-bytes", "all-byte-values", "control-characters", "high-bytes"],
)  # fmt: skip
def test_what_is_not_text_is_rejected(data: bytes, reason: RejectionReason, detail: str) -> None:
    with pytest.raises(RejectedFileError) as raised:
        decode_bytes(data)

    assert (raised.value.reason, raised.value.detail) == (reason, detail)
