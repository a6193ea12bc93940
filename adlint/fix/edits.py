"""Turn one finding into one text edit on the document it came from.

The finding's start offset identifies its element exactly (an element finding starts at the
tag's `<`, a link finding at its URL), so edits touch only that element's own text; an
inserted paragraph goes before the element's top-level block (insertion.py).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adlint.fix.actions import AddAttrToken, FixAction, InsertText, RemoveElement
from adlint.fix.insertion import insertion
from adlint.parse.builder import VOID_TAGS
from adlint.parse.html import attribute_spans

if TYPE_CHECKING:
    from collections.abc import Sequence

    from adlint.document import Document, Element

PRIORITY = {"remove": 0, "insert": 1, "attr": 2}
"""When edits overlap, the lower number wins: a removed element needs no new attribute."""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace text[start:end] with `replacement`."""

    start: int
    end: int
    replacement: str
    kind: str = "attr"
    rule: str = ""


def apply_edits(text: str, edits: Sequence[Edit], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` with the (non-overlapping) edits inside it made, in one pass."""
    pieces = []
    position = start
    for edit in sorted(edits):
        pieces += (text[position : edit.start], edit.replacement)
        position = edit.end
    pieces.append(text[position:end])
    return "".join(pieces)


class NotFixable(Exception):
    """The finding cannot be fixed automatically; the message says why."""


def element_at(document: Document, offset: int) -> Element | None:
    """The element whose tag or URL starts at `offset` (the first one, in document order)."""
    return document.element_starting_at(offset)


def edit_for(action: FixAction, document: Document, offset: int, rule: str) -> Edit:
    """The edit that fixes the finding at `offset`."""
    element = element_at(document, offset)
    if isinstance(action, InsertText):
        # Anchor on the construct, not the URL: a reference link's URL is in its definition.
        anchor = offset if element is None else element.start
        position, inserted = insertion(action, document, anchor)
        return Edit(position, position, inserted, "insert", rule)
    if element is None:
        raise NotFixable("no element at the finding's position")
    if element.origin != "html":
        raise NotFixable(
            "Markdown link syntax cannot carry attributes or be removed safely: "
            "use an HTML <a>, or set rel in your renderer"
        )
    if isinstance(action, AddAttrToken):
        return _add_token(action, document, element, rule)
    assert isinstance(action, RemoveElement)
    return _remove(document, element, rule)


def _add_token(action: AddAttrToken, document: Document, element: Element, rule: str) -> Edit:
    raw = document.text[element.start : element.end]
    spans = attribute_spans(raw)
    if action.attr in spans:
        value, start, end = spans[action.attr]
        tokens = value.replace(",", " ").split()
        if action.token.lower() in (t.lower() for t in tokens):
            raise NotFixable(f'{action.attr} already contains "{action.token}"')
        if raw[start - 1 : start] in ('"', "'"):
            new = f"{value.rstrip()} {action.token}" if value.strip() else action.token
        elif start == end:  # `<a rel>`: a bare attribute with no value
            new = f'="{action.token}"'
        else:
            new = f'"{value} {action.token}"'
        return Edit(element.start + start, element.start + end, new, "attr", rule)
    closing = len(raw) - (2 if raw.endswith("/>") else 1)
    while closing > 0 and raw[closing - 1].isspace():
        closing -= 1
    added = f' {action.attr}="{action.token}"'
    position = element.start + closing
    return Edit(position, position, added, "attr", rule)


@functools.lru_cache(maxsize=8)
def _end_tags(text: str, tag: str) -> list[tuple[int, int]]:
    """(start, end) of every `</tag>` in the text, found once per document and tag:
    searching from each removed element to the end of the page was quadratic."""
    pattern = re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text)]


def _remove(document: Document, element: Element, rule: str) -> Edit:
    text = document.text
    start, end = element.start, element.end
    if element.tag not in VOID_TAGS and not text[start:end].rstrip().endswith("/>"):
        ends = _end_tags(text, element.tag)
        index = bisect.bisect_left(ends, (end, end))
        if index < len(ends):
            end = ends[index][1]
    line_start = document.line_start(start)
    line_end = end
    while line_end < len(text) and text[line_end] in " \t":
        line_end += 1
    if not text[line_start:start].strip() and text[line_end : line_end + 1] in ("\n", "\r", ""):
        newline = 2 if text.startswith("\r\n", line_end) else 1 if line_end < len(text) else 0
        return Edit(line_start, line_end + newline, "", "remove", rule)
    return Edit(start, end, "", "remove", rule)
