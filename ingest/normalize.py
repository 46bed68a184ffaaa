"""Raw text to the normalized `text` every model reads, for a whole batch at once (polars).

- CRLF and lone CR become LF; form feed, vertical tab and Unicode line separators become LF.
- Zero-width, bidi and control characters are removed (tab and LF stay).
- Full-width ASCII (digits, letters, punctuation such as （）：，) and the ideographic space fold to
  half-width; Chinese punctuation such as 、。《》“” stays as it is.
- Texts written in traditional characters are converted to simplified with OpenCC (t2s); `script`
  records what was found: simplified, traditional, mixed, or none (no Han characters).
"""

from __future__ import annotations

from functools import cache

import opencc
import polars as pl

FULL_WIDTH = [chr(code) for code in range(0xFF01, 0xFF5F)] + ["\u3000"]
HALF_WIDTH = [chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)] + [" "]
LINE_BREAKS = "\r\n?|[\f\v\u0085\u2028\u2029]"
INVISIBLE = "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"

TRADITIONAL_SHARE = 0.05
"""At least this share of all characters in traditional-only forms: the text is traditional.
(Han characters are ~80% of a report; traditional texts have 25-35% traditional-only forms,
simplified ones none or a few, such as 著 or 乾 in names.)"""
MIXED_SHARE = 0.005
"""At least this share (but under TRADITIONAL_SHARE): mixed, converted as well."""


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def traditional_only_pattern() -> str:
    """A regex class of the CJK characters that OpenCC's t2s changes: traditional-only forms."""
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    traditional = [a for a, b in zip(chars, converted, strict=True) if a != b]
    return "[" + "".join(traditional) + "]"


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def normalize_texts(raw_text: pl.Series) -> pl.DataFrame:
    """Normalize a batch of raw texts; returns the columns `text` and `script`, row for row."""
    frame = pl.DataFrame({"raw_text": raw_text})
    folded = (
        pl.col("raw_text")
        .str.replace_all(LINE_BREAKS, "\n")
        .str.replace_all(INVISIBLE, "")
        .str.replace_many(FULL_WIDTH, HALF_WIDTH)
    )
    frame = frame.select(
        folded.alias("text"),
        pl.col("raw_text").str.contains(r"\p{Han}").alias("has_han"),
        pl.col("raw_text").str.len_chars().alias("chars"),
        pl.col("raw_text").str.count_matches(traditional_only_pattern()).alias("traditional_chars"),
    ).with_columns(
        pl.when(~pl.col("has_han"))
        .then(pl.lit("none"))
        .when(pl.col("traditional_chars") >= TRADITIONAL_SHARE * pl.col("chars"))
        .then(pl.lit("traditional"))
        .when(pl.col("traditional_chars") >= MIXED_SHARE * pl.col("chars"))
        .then(pl.lit("mixed"))
        .otherwise(pl.lit("simplified"))
        .alias("script")
    )
    needs_conversion = frame.get_column("script").is_in(["traditional", "mixed"])
    if needs_conversion.any():
        positions = needs_conversion.arg_true()
        # OpenCC converts one string per call; only traditional texts pay for it.
        converted = [to_simplified(text) for text in frame.get_column("text").gather(positions)]
        frame = frame.with_columns(frame.get_column("text").scatter(positions, converted))
    return frame.select("text", "script")
