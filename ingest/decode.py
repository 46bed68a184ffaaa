"""Bytes to text: BOM, UTF-8, UTF-16 and the Chinese legacy encodings (GB18030/GBK, Big5).

The order is cheapest first. A BOM settles the encoding; a strict UTF-8 decode settles most web pages;
NUL bytes mean UTF-16 or binary; anything else goes to charset-normalizer, restricted to the
encodings Chinese government sites use. A file cut inside a multi-byte character still loads: the
broken tail becomes U+FFFD and the damage is described in `note`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from ingest.rejections import RejectedFileError, RejectionReason

CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5"]
"""What charset-normalizer may choose from. GB18030 is a superset of GBK and GB2312."""

BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

ENCODING_NAMES = {"utf_8": "utf-8", "gb18030": "gb18030", "big5": "big5"}
MAX_TRUNCATED_BYTES = 3
UTF16_PARITY_RATIO = 4
MAX_INVALID_UTF8_SHARE = 0.001
"""A UTF-8 file with at most this share of invalid sequences (a corrupt byte here and there), and ten
times more valid multi-byte characters than invalid ones, loads as UTF-8 with the damage noted; text in
another encoding decoded as UTF-8 fails far more often and has almost no valid multi-byte sequence."""
MAX_REPLACEMENT_SHARE = 0.01
"""More U+FFFD than this share of the characters and the file counts as undecodable."""
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f]")
"""C0 controls other than tab, newlines, vertical tab and form feed: rare in text, common in binary."""
SNIFF_CHARS = 1024


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    has_bom: bool
    note: str | None
    """Damage found while decoding (truncated tail, replaced bytes); None when the decode was clean."""


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a report file's bytes or raise RejectedFileError (binary, undecodable)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, note = _decode_lenient(data[len(bom) :], encoding)
            return _checked(DecodedText(text, encoding, True, note))
    has_nul = b"\x00" in data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if has_nul:
            return _checked(_decode_utf16_without_bom(data))
        if _is_truncated_tail(error, len(data)):
            text = data[: error.start].decode("utf-8") + "\ufffd"
            return _checked(DecodedText(text, "utf-8", False, _truncation_note(len(data) - error.start)))
        text, note = _decode_lenient(data, "utf-8")
        invalid = text.count("\ufffd")
        valid_multibyte = _non_ascii(text) - invalid
        if invalid <= max(1, MAX_INVALID_UTF8_SHARE * len(text)) and valid_multibyte >= 10 * invalid:
            return _checked(DecodedText(text, "utf-8", False, note))
        return _checked(_detect_and_decode(data))
    if has_nul and len(data) >= 8 and _nul_parity(data) is not None and data.count(0) >= len(data) // 8:
        # Valid UTF-8 full of NULs on one parity: UTF-16 text of mostly ASCII characters.
        return _checked(_decode_utf16_without_bom(data))
    return _checked(DecodedText(text, "utf-8", False, None))


def _detect_and_decode(data: bytes) -> DecodedText:
    clean = {name: text for name in CANDIDATE_ENCODINGS[1:] if (text := _strict_decode(data, name)) is not None}
    if len(clean) == 1:
        # Only one candidate decodes every byte: nothing for the detector to choose between.
        ((name, text),) = clean.items()
        return DecodedText(text, ENCODING_NAMES[name], False, None)
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None:
        encoding = ENCODING_NAMES.get(best.encoding, best.encoding)
        text, note = _decode_lenient(data, encoding)
        return DecodedText(text, encoding, False, note)
    for cut in range(1, MAX_TRUNCATED_BYTES + 1):
        if len(data) <= cut or data[-cut] < 0x80:
            break
        best = charset_normalizer.from_bytes(data[:-cut], cp_isolation=CANDIDATE_ENCODINGS).best()
        if best is not None:
            encoding = ENCODING_NAMES.get(best.encoding, best.encoding)
            text, _ = _decode_lenient(data[:-cut], encoding)
            return DecodedText(text + "\ufffd", encoding, False, _truncation_note(cut))
    raise RejectedFileError(
        RejectionReason.UNDECODABLE,
        f"not valid in any of {', '.join(ENCODING_NAMES.values())}, utf-16",
    )


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode_utf16_without_bom(data: bytes) -> DecodedText:
    """UTF-16 text without BOM: its byte order is the parity that holds most NUL bytes."""
    encoding = _nul_parity(data)
    if encoding is None:
        raise RejectedFileError(RejectionReason.BINARY, f"{data.count(0)} NUL bytes: not a text file")
    body, note = data, None
    if len(data) % 2:
        body, note = data[:-1], _truncation_note(1)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedFileError(
            RejectionReason.BINARY, f"{data.count(0)} NUL bytes and not valid {encoding}"
        ) from error
    if note:
        text += "\ufffd"
    return DecodedText(text, encoding, False, note)


def _non_ascii(text: str) -> int:
    """Characters beyond ASCII (U+FFFD included): the UTF-8 multi-byte sequences that decoded."""
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _nul_parity(data: bytes) -> str | None:
    """The UTF-16 byte order whose high bytes hold most NUL bytes, or None when neither does.

    ASCII characters put NULs on one parity (odd offsets in UTF-16-LE); CJK characters such as 开
    (U+5F00) put a few on the other, so the test is a clear majority, not purity.
    """
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_odd > 0 and nul_odd >= UTF16_PARITY_RATIO * nul_even:
        return "utf-16-le"
    if nul_even > 0 and nul_even >= UTF16_PARITY_RATIO * nul_odd:
        return "utf-16-be"
    return None


def _decode_lenient(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Decode, replacing bad sequences, and describe what was replaced."""
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as error:
        text = data.decode(encoding, errors="replace")
        if _is_truncated_tail(error, len(data)):
            return text, _truncation_note(len(data) - error.start)
        replaced = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
        return text, f"{replaced} invalid {encoding} sequence(s) replaced by U+FFFD, first at byte {error.start}"


def _is_truncated_tail(error: UnicodeDecodeError, size: int) -> bool:
    return error.end == size and size - error.start <= MAX_TRUNCATED_BYTES and "end of data" in error.reason


def _truncation_note(n_bytes: int) -> str:
    return f"truncated inside a multi-byte character: last {n_bytes} byte(s) replaced by U+FFFD"


def _checked(decoded: DecodedText) -> DecodedText:
    """Refuse decodes that produced mostly junk: control characters or replacement characters."""
    text = decoded.text
    if not text:
        return decoded
    sample = text[:SNIFF_CHARS]
    if CONTROL_CHARACTERS.search(sample) and len(CONTROL_CHARACTERS.findall(sample)) > 0.01 * len(sample):
        if "\x00" in sample:
            raise RejectedFileError(RejectionReason.BINARY, f"{text.count(chr(0))} NUL bytes: not a text file")
        raise RejectedFileError(
            RejectionReason.BINARY, f"decodes as {decoded.encoding} but is full of control characters"
        )
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text) + 1:
        raise RejectedFileError(
            RejectionReason.UNDECODABLE, f"too many invalid {decoded.encoding} sequences to be a text"
        )
    return decoded
