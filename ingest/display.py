"""Paths and texts in messages: control characters shown escaped, so a file name cannot forge a line."""

from __future__ import annotations

import os
import re

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\\\\]")
"""C0 and C1 controls (newline, CR, tab, ESC ...), DEL, the Unicode line and paragraph separators, and the
backslash itself (so that an escape shown cannot be mistaken for one that was in the name)."""
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` for a message: one line, its control characters as `\\n`, `\\x1b`, `\\u2028`; the path itself
    (and what the database stores) is unchanged."""
    return display_text(os.fspath(path))


def display_text(text: str) -> str:
    """`text` with its control characters escaped: a message built from it stays on its own line."""
    return UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in ESCAPES:
        return ESCAPES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
