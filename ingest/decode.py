"""Bytes to text: BOM, UTF-8, UTF-16 and the Chinese legacy encodings (GB18030/GBK, Big5).

The order is cheapest first. A BOM settles the encoding; a strict UTF-8 decode settles most web pages;
NUL bytes mean UTF-16 or binary; anything else goes to charset-normalizer, restricted to the
encodings Chinese government sites use. A file cut inside a multi-byte character still loads: the
broken tail becomes U+FFFD and the damage is described in `note`. So does a file with a few damaged bytes
in the middle (at most MAX_UNDECODABLE_SHARE of its bytes): the encoding that leaves the fewest
undecodable bytes is taken, each damaged sequence becomes U+FFFD, and `note` says how many bytes and where.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

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
MAX_UNDECODABLE_SHARE = 0.01
"""The share of a file's bytes that may be undecodable (1%: up to 100 bytes of a 10 kB report).

A file with damaged bytes in the middle (a bad sector, a byte flipped in transfer, a stray byte from a
broken conversion) loads in the encoding that leaves the fewest undecodable bytes, when they are at most
this share of its bytes (and at least 1 is allowed): each damaged sequence becomes U+FFFD and
`decode_note` lists how many bytes and where. More damage than that in every supported encoding and the
file is rejected as `undecodable`: a text that broken, or a file in another encoding, would only load
junk. Text in one encoding decoded as another fails far more often than that."""
MIN_UTF8_MULTIBYTE_PER_ERROR = 10
"""A damaged file loads as UTF-8 only when it holds this many valid multi-byte characters per invalid
sequence: text in a legacy encoding decoded as UTF-8 has almost no valid multi-byte sequence."""
MAX_NOTED_OFFSETS = 5
"""How many byte offsets of damage `decode_note` lists; the rest are counted."""
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
            text, note = _decode_with_damage(data[len(bom) :], encoding, offset=len(bom))
            return _checked(DecodedText(text, encoding, True, note), len(data))
    has_nul = b"\x00" in data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _is_truncated_tail(error, len(data)) and not has_nul:
            text = data[: error.start].decode("utf-8") + "\ufffd"
            return _checked(DecodedText(text, "utf-8", False, _truncation_note(len(data) - error.start)), len(data))
        damaged = _decode_counting(data, "utf-8", _damage_limit(len(data)))
        if damaged is not None and _looks_like_utf8(*damaged):
            # Damaged UTF-8 (a stray NUL among the damage is no reason to read it as UTF-16).
            text, damage = damaged
            return _checked(DecodedText(text, "utf-8", False, _damage_note(damage, len(data))), len(data))
        if has_nul:
            _refuse_damaged_utf8(data)
            return _checked(_decode_utf16_without_bom(data), len(data))
        return _checked(_detect_and_decode(data), len(data))
    if has_nul and len(data) >= 8 and _nul_parity(data) is not None and data.count(0) >= len(data) // 8:
        # Valid UTF-8 full of NULs on one parity: UTF-16 text of mostly ASCII characters.
        return _checked(_decode_utf16_without_bom(data), len(data))
    return _checked(DecodedText(text, "utf-8", False, None), len(data))


def _detect_and_decode(data: bytes) -> DecodedText:
    clean = {name: text for name in CANDIDATE_ENCODINGS[1:] if (text := _strict_decode(data, name)) is not None}
    if len(clean) == 1:
        ((name, text),) = clean.items()
        limit = _damage_limit(len(data))
        if all(_decode_counting(data, other, limit) is None for other in CANDIDATE_ENCODINGS[1:] if other != name):
            # Only one candidate decodes every byte, and the other fails too often to be damaged text in its
            # encoding: nothing for the detector to choose between.
            return DecodedText(text, ENCODING_NAMES[name], False, None)
        return _decode_least_damaged(data)
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None:
        encoding = ENCODING_NAMES.get(best.encoding, best.encoding)
        text, note = _decode_with_damage(data, encoding)
        return DecodedText(text, encoding, False, note)
    for cut in range(1, MAX_TRUNCATED_BYTES + 1):
        if len(data) <= cut or data[-cut] < 0x80:
            break
        best = charset_normalizer.from_bytes(data[:-cut], cp_isolation=CANDIDATE_ENCODINGS).best()
        if best is not None:
            encoding = ENCODING_NAMES.get(best.encoding, best.encoding)
            text, _ = _decode_with_damage(data[:-cut], encoding)
            return DecodedText(text + "\ufffd", encoding, False, _truncation_note(cut))
    return _decode_least_damaged(data)


def _decode_least_damaged(data: bytes) -> DecodedText:
    """No encoding decodes every byte: take the one that leaves the fewest undecodable bytes, within the limit.

    GB18030 and Big5 share most byte pairs, so a few damaged bytes can leave both within the limit (Big5 text
    often fails less as GB18030 than as Big5): the detector then chooses between them, each judged on the bytes
    it decodes, the damaged ones left out.
    """
    limit = _damage_limit(len(data))
    _refuse_damaged_utf8(data)
    decodes = {name: result for name in CANDIDATE_ENCODINGS if (result := _decode_counting(data, name, limit))}
    if not decodes:
        raise RejectedFileError(
            RejectionReason.UNDECODABLE,
            f"not valid in any of {', '.join(ENCODING_NAMES.values())}, utf-16 "
            f"(each leaves more than {limit:,} of its {len(data):,} bytes undecodable)",
        )
    name = min(decodes, key=lambda candidate: decodes[candidate][1].n_bytes)
    legacy = {candidate: result for candidate, result in decodes.items() if candidate != "utf_8"}
    if name != "utf_8" and len(legacy) > 1:
        name = _most_plausible(data, legacy) or name
    text, damage = decodes[name]
    return DecodedText(text, ENCODING_NAMES[name], False, _damage_note(damage, len(data)))


def _refuse_damaged_utf8(data: bytes) -> None:
    """Reject UTF-8 damaged past the limit (more valid multi-byte characters than invalid sequences, still):
    read as GB18030 or UTF-16 it may fail less often, but it is junk."""
    utf8 = _decode_counting(data, "utf-8", len(data) // 4)
    if utf8 is not None and _looks_like_utf8(*utf8, per_error=1):
        raise RejectedFileError(
            RejectionReason.UNDECODABLE,
            f"damaged utf-8: {utf8[1].n_bytes:,} of its {len(data):,} bytes are undecodable, "
            f"over the limit of {_damage_limit(len(data)):,}",
        )


def _most_plausible(data: bytes, decodes: dict[str, tuple[str, _Damage]]) -> str | None:
    """The candidate whose text the detector finds least messy and most coherent, each judged on the bytes it
    decodes (its damaged ones left out); None when it finds none of them plausible."""
    scores = {}
    for name, (_, damage) in decodes.items():
        match = charset_normalizer.from_bytes(_without(data, damage), cp_isolation=[name]).best()
        if match is not None:
            scores[name] = (match.chaos, -match.coherence, damage.n_bytes)
    return min(scores, key=scores.__getitem__) if scores else None


def _looks_like_utf8(text: str, damage: _Damage, per_error: int = MIN_UTF8_MULTIBYTE_PER_ERROR) -> bool:
    """Damaged UTF-8, not another encoding: `per_error` valid multi-byte characters per invalid sequence.

    Text in GB18030 or Big5 decoded as UTF-8 has about one valid sequence per ten invalid ones; UTF-16 fewer."""
    invalid = len(damage.spans)
    return _non_ascii(text) - invalid >= per_error * invalid


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


@dataclass
class _Damage:
    """The undecodable byte ranges (start, end) one decode met, and their total, up to `limit` bytes."""

    limit: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    n_bytes: int = 0
    cut_tail: bool = False
    """The last range is a multi-byte character cut by the end of the data."""


class _TooDamagedError(Exception):
    """More undecodable bytes than the limit: the decode is abandoned."""


_RECORDING = threading.local()


def _record_damage(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note the undecodable range, replace it by U+FFFD, give up past the limit."""
    assert isinstance(error, UnicodeDecodeError)
    damage: _Damage = _RECORDING.damage
    damage.spans.append((error.start, error.end))
    damage.n_bytes += error.end - error.start
    damage.cut_tail = error.end == len(error.object) and ("end of data" in error.reason or "incomplete" in error.reason)
    if damage.n_bytes > damage.limit:
        raise _TooDamagedError
    return "\ufffd", error.end


codecs.register_error("zfxxgk-record-damage", _record_damage)


def _decode_counting(data: bytes, encoding: str, limit: int) -> tuple[str, _Damage] | None:
    """`data` decoded with each undecodable sequence replaced by U+FFFD, and where they were; None past `limit`."""
    damage = _Damage(limit)
    _RECORDING.damage = damage
    try:
        return data.decode(encoding, errors="zfxxgk-record-damage"), damage
    except _TooDamagedError:
        return None
    finally:
        _RECORDING.damage = None


def _damage_limit(n_bytes: int) -> int:
    return max(1, int(MAX_UNDECODABLE_SHARE * n_bytes))


def _decode_with_damage(data: bytes, encoding: str, offset: int = 0) -> tuple[str, str | None]:
    """Decode, replacing bad sequences by U+FFFD, and describe them (offsets counted from `offset`).

    Raises RejectedFileError past MAX_UNDECODABLE_SHARE of the bytes."""
    limit = _damage_limit(len(data))
    decoded = _decode_counting(data, encoding, limit)
    if decoded is None:
        raise RejectedFileError(
            RejectionReason.UNDECODABLE,
            f"more than {limit:,} of its {len(data):,} bytes are not valid {encoding}",
        )
    text, damage = decoded
    return text, _damage_note(damage, len(data), offset)


def _without(data: bytes, damage: _Damage) -> bytes:
    """`data` with the damaged ranges left out."""
    kept, position = [], 0
    for start, end in damage.spans:
        kept.append(data[position:start])
        position = end
    kept.append(data[position:])
    return b"".join(kept)


def _damage_note(damage: _Damage, size: int, offset: int = 0) -> str | None:
    """E.g. "3 undecodable bytes replaced by U+FFFD at byte offsets 1204, 5530, 9001"; None when clean."""
    if not damage.spans:
        return None
    if len(damage.spans) == 1 and damage.cut_tail:
        return _truncation_note(size - damage.spans[0][0])
    runs: list[int] = []
    previous_end = -1
    for start, end in damage.spans:
        if start != previous_end:
            runs.append(start + offset)
        previous_end = end
    listed = ", ".join(str(start) for start in runs[:MAX_NOTED_OFFSETS])
    more = f" and {len(runs) - MAX_NOTED_OFFSETS} more" if len(runs) > MAX_NOTED_OFFSETS else ""
    nouns = ("byte", "offset") if damage.n_bytes == 1 else ("bytes", "offset" if len(runs) == 1 else "offsets")
    return f"{damage.n_bytes} undecodable {nouns[0]} replaced by U+FFFD at byte {nouns[1]} {listed}{more}"


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


def _is_truncated_tail(error: UnicodeDecodeError, size: int) -> bool:
    return error.end == size and size - error.start <= MAX_TRUNCATED_BYTES and "end of data" in error.reason


def _truncation_note(n_bytes: int) -> str:
    return f"truncated inside a multi-byte character: last {n_bytes} byte(s) replaced by U+FFFD"


def _checked(decoded: DecodedText, n_bytes: int) -> DecodedText:
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
    if text.count("\ufffd") > _damage_limit(n_bytes):
        # U+FFFD decoded from the file itself: a text mangled by an earlier wrong decode.
        raise RejectedFileError(
            RejectionReason.UNDECODABLE, f"too many invalid {decoded.encoding} sequences to be a text"
        )
    return decoded
