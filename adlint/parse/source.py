"""Decode article bytes and map offsets of newline-normalised text back to the original.

Parsers work on text whose line breaks are all `\\n` (markdown-it normalises them itself);
findings must point into the original, which may use `\\r\\n` or lone `\\r`. Lines and
columns are the same in both, so the mapping goes through (line, column).
"""

from __future__ import annotations

import bisect
import codecs
import re

from adlint.document import line_starts_of
from adlint.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ANY_NEWLINE = re.compile(r"\r\n?")


def decode(data: bytes) -> tuple[str, str | None]:
    """Return (text, problem). A BOM selects the encoding and is dropped from the text.

    Raises ParseError for binary files (NUL bytes without a UTF-16/32 BOM). Text that is not
    valid UTF-8 is decoded with replacement characters so the rest can still be linted,
    and the problem names the first bad byte.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), None
            except UnicodeDecodeError as error:
                return data[len(bom) :].decode(encoding, "replace"), _describe(error)
    if b"\x00" in data[:8192]:
        raise ParseError("binary file (NUL bytes); not an article")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return data.decode("utf-8", "replace"), _describe(error)


def _describe(error: UnicodeDecodeError) -> str:
    bad = error.object[error.start : error.start + 1]
    return f"not valid {error.encoding} (byte 0x{bad.hex()} at byte offset {error.start})"


def normalise_newlines(text: str) -> str:
    """Replace `\\r\\n` and lone `\\r` with `\\n`, keeping the number of lines."""
    return _ANY_NEWLINE.sub("\n", text) if "\r" in text else text


class OffsetMap:
    """Translate offsets in normalised text into offsets in the original text."""

    def __init__(self, original: str, normalised: str) -> None:
        self.identity = original is normalised or original == normalised
        self.original_starts = line_starts_of(original)
        self.normalised_starts = (
            self.original_starts if self.identity else line_starts_of(normalised)
        )

    def __call__(self, offset: int) -> int:
        if self.identity:
            return offset
        line = bisect.bisect_right(self.normalised_starts, offset) - 1
        return self.original_starts[line] + offset - self.normalised_starts[line]
