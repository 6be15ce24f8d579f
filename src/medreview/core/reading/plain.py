"""Plain-text records (.txt, .md): one page, decoded as UTF-8 or, failing that, Windows-1252.

A file whose bytes are not text (NUL bytes, mostly control characters) is refused with an
error rather than read as gibberish.
"""

from __future__ import annotations


class NotText(ValueError):
    """The bytes are not a text document."""


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / len(sample) > 0.05


def decode_text(data: bytes) -> str:
    """The text of a record file, or `NotText` naming why it is not one."""
    if not data.strip():
        raise NotText("the file is empty")
    if looks_binary(data):
        raise NotText("not a text file (binary content)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
