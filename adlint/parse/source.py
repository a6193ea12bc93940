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


def decode_with_offset(data: bytes) -> tuple[str, str | None, int]:
    """Like `decode`, plus where in the text the problem is (0 when there is none)."""
    text, problem = decode(data)
    if problem is None:
        return text, None, 0
    marker = "\x00" if problem.startswith(_NUL_PROBLEM) else "\ufffd"
    return text, problem, max(text.find(marker), 0)


def decode(data: bytes) -> tuple[str, str | None]:
    """Return (text, problem). A BOM selects the encoding and is dropped from the text.

    Text that is not valid UTF-8 is decoded with replacement characters so the rest can
    still be linted, and the problem names the first bad byte. NUL bytes mean UTF-16 without
    a BOM (recognised by its pattern of zero bytes), a stray NUL in otherwise valid UTF-8
    (linted, and reported), or a binary file: only then is ParseError raised.
    """
    bom, encoding = file_encoding(data)
    body = data[len(bom) :]
    if encoding == "utf-8" and b"\x00" in body:
        return _decode_utf8_with_nul(body)
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as error:
        return body.decode(encoding, "replace"), _describe(error)


def file_encoding(data: bytes) -> tuple[bytes, str]:
    """The BOM (maybe empty) and the encoding the bytes are read in; `adlint fix` writes a
    file back with the same two, so it keeps its encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    if b"\x00" in data:
        return b"", _utf16_without_bom(data) or "utf-8"
    return b"", "utf-8"


_NUL_PROBLEM = "contains NUL bytes"
_BINARY_CONTROLS = tuple(bytes([b]) for b in (*range(0, 9), *range(14, 27), *range(28, 32)))
"""C0 controls that text never has (tab, newlines, form feed and ESC excepted)."""


def _decode_utf8_with_nul(data: bytes) -> tuple[str, str | None]:
    """A stray NUL in UTF-8 text is linted and reported; many controls mean a binary file."""
    binary = ParseError("binary file (NUL bytes, not UTF-8 or UTF-16 text); not an article")
    sample = data[:8192]
    controls = sum(sample.count(byte) for byte in _BINARY_CONTROLS)
    if controls > max(1, len(sample) // 100):
        raise binary
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise binary from None
    return text, f"{_NUL_PROBLEM} (first at byte offset {data.index(0)})"


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le`/`-be` when the zero bytes fall on one parity, as in mostly-ASCII UTF-16."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    odd_zeros = sample[1::2].count(0)
    even_zeros = sample[0::2].count(0)
    half = len(sample) // 2
    if odd_zeros >= 0.6 * half and even_zeros <= 0.05 * half:
        return "utf-16-le"
    if even_zeros >= 0.6 * half and odd_zeros <= 0.05 * half:
        return "utf-16-be"
    return None


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
