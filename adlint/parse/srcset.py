"""Read the image candidate URLs of a `srcset` attribute, each with its span in the source.

`<img srcset="a.png 1x, https://t.example/p.gif 2x">` and `<picture><source srcset=...>`
load the URLs listed there, so the link checker and the URL rules must see each of them.
This follows the WHATWG HTML "parse a srcset attribute" algorithm (§4.8.4.3.10): candidates
are split at commas and whitespace; a URL runs to the next whitespace and may hold commas,
except trailing ones; descriptors (`2x`, `640w`, `480h`) run to a comma outside
parentheses. A candidate whose descriptors are invalid is dropped, as browsers drop it
(they never load its URL). Every step is a regex from a position or a scan of one
descriptor token, so the work is linear in the attribute's length.

The algorithm reads the attribute's value after character references are decoded
(`&#44;` is a comma that separates candidates), while positions must be offsets into the
source as written: the value is decoded reference by reference, keeping where each decoded
character came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from adlint.document import UrlSpan

_SEPARATORS = re.compile(r"[\t\n\f\r ,]*")
"""ASCII whitespace and commas: what the splitting loop skips between candidates."""
_URL = re.compile(r"[^\t\n\f\r ]+")
_DESCRIPTORS = re.compile(r"(?:[^,(]|\([^)]*\)?)*")
"""A candidate's descriptor text: to the first comma outside parentheses (an unclosed `(`
runs to the end). Each alternative starts with a different character, so no backtracking."""
_TOKEN = re.compile(r"(?:[^\t\n\f\r (]|\([^)]*\)?)+")
"""One descriptor: non-whitespace, where parentheses may hold whitespace."""
_INTEGER = re.compile(r"[0-9]+")
_FLOAT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""HTML's valid floating-point number (`1.5`, `.5`, `2e1`; not `1.` or `+1`)."""
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
"""A character reference, as `html.unescape` finds them."""


def candidates(raw: str, base: int = 0) -> list[UrlSpan]:
    """The candidate URLs of a srcset attribute value as written (quotes excluded,
    character references not decoded), in order, at `base` plus their offset in `raw`."""
    value, origin = _decoded(raw)
    found = []
    position = 0
    while True:
        position = _SEPARATORS.match(value, position).end()  # type: ignore[union-attr]
        url_match = _URL.match(value, position)
        if url_match is None:
            return found
        start, end = url_match.span()
        url = url_match.group().rstrip(",")
        position = end
        valid = True
        if len(url) == len(url_match.group()):  # no trailing comma: descriptors follow
            descriptors = _DESCRIPTORS.match(value, position)
            position = descriptors.end() + 1  # type: ignore[union-attr]  # past the comma
            valid = _valid(_TOKEN.finditer(descriptors.group()))  # type: ignore[union-attr]
        if valid and url:
            found.append(UrlSpan(url, base + origin(start), base + origin(start + len(url))))


def _valid(tokens: Iterator[re.Match[str]]) -> bool:
    """The descriptor parser's verdict: at most one width or one density, a height only
    beside a width, widths and heights above zero, densities not negative, nothing else.
    Tokens are read lazily: the first bad one settles it."""
    width = height = density = False
    for token in tokens:
        descriptor = token.group()
        number = descriptor[:-1]
        if _INTEGER.fullmatch(number) and descriptor[-1] in "wh":
            if number.strip("0") == "":  # zero (compared as text: no int() of 5,000 digits)
                return False
            if descriptor[-1] == "w" and not (width or density):
                width = True
            elif descriptor[-1] == "h" and not (height or density):
                height = True
            else:
                return False
        elif descriptor[-1] == "x" and _FLOAT.fullmatch(number) and not (width or height):
            if density or float(number) < 0:
                return False
            density = True
        else:
            return False
    return width or not height


def _decoded(raw: str) -> tuple[str, _Origin]:
    """The value with character references decoded, and a map from decoded offsets back to
    offsets in `raw` (the identity when there is no `&`)."""
    if "&" not in raw:
        return raw, _Origin(None, len(raw))
    pieces = []
    offsets: list[int] = []
    position = 0
    for reference in _REFERENCE.finditer(raw):
        start, end = reference.span()
        pieces.append(raw[position:start])
        offsets.extend(range(position, start))
        text = unescape(reference.group())
        pieces.append(text)
        offsets.extend([start] * len(text))
        position = end
    pieces.append(raw[position:])
    offsets.extend(range(position, len(raw)))
    return "".join(pieces), _Origin(offsets, len(raw))


class _Origin:
    """Decoded offset -> raw offset; the end of the decoded text maps to the raw end."""

    __slots__ = ("_offsets", "_end")

    def __init__(self, offsets: list[int] | None, end: int) -> None:
        self._offsets = offsets
        self._end = end

    def __call__(self, offset: int) -> int:
        if self._offsets is None:
            return offset
        return self._offsets[offset] if offset < len(self._offsets) else self._end
