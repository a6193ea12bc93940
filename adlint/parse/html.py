"""Tokenize HTML (whole files or fragments inside Markdown) into the builder, with offsets.

We use the standard library's `html.parser` tokenizer, the same one BeautifulSoup's
"html.parser" builder wraps, but without building a tree: adlint needs each start tag's exact
offset and attribute spans, an open-element stack for hidden ancestors, and the text, all of
which the tokenizer gives directly at about half the cost of the tree.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from adlint.document import Comment
from adlint.parse.builder import (
    BLOCK_TAGS,
    VOID_TAGS,
    DocumentBuilder,
    PendingElement,
)

URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "data-src", "data-lazy-src"),
    "iframe": ("src", "data-src"),
    "script": ("src",),
    "embed": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
    "input": ("src",),
}
"""Which attribute holds an element's URL, in order of preference."""

_ATTRIBUTE = re.compile(
    r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""",
)
_TAG_NAME = re.compile(r"<[a-zA-Z][^\s/>]*")
_SIZE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px)?\s*$")
_STYLE_DECLARATION = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]*)")


def attribute_spans(tag_text: str) -> dict[str, tuple[str, int, int]]:
    """Return name -> (decoded value, value start, value end) for a raw start tag.

    Offsets are relative to the tag text and exclude quotes; the first occurrence of a
    repeated attribute wins, as in browsers.
    """
    spans: dict[str, tuple[str, int, int]] = {}
    name_match = _TAG_NAME.match(tag_text)
    position = name_match.end() if name_match else 1
    for match in _ATTRIBUTE.finditer(tag_text, position):
        name = match.group(1).lower()
        if name in spans:
            continue
        raw = match.group(2)
        if raw is None:
            spans[name] = ("", match.end(1), match.end(1))
            continue
        start = match.start(2)
        if raw[:1] in "\"'":
            raw, start = raw[1:-1], start + 1
        spans[name] = (unescape(raw), start, start + len(raw))
    return spans


def _size(value: str | None) -> float | None:
    match = _SIZE.match(value) if value else None
    return float(match.group(1)) if match else None


def _style(value: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2).strip().lower().replace("!important", "").strip()
        for m in _STYLE_DECLARATION.finditer(value)
    }


def hidden_reason(attrs: dict[str, str]) -> str:
    """Why an element is invisible to readers from its own attributes, or ''."""
    if "hidden" in attrs:
        return "hidden attribute"
    style = _style(attrs.get("style", "")) if "style" in attrs else {}
    if style.get("display") == "none":
        return "display:none"
    if style.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _size(style.get("opacity")) == 0:
        return "opacity:0"
    for side in ("left", "top"):
        offset = _size(style.get(side))
        if offset is not None and offset <= -1000:
            return f"off-screen ({side}:{style[side]})"
    width = _size(attrs.get("width")) if "width" in attrs else _size(style.get("width"))
    height = _size(attrs.get("height")) if "height" in attrs else _size(style.get("height"))
    if width == 0 or height == 0:
        return f"{_fmt(width)}×{_fmt(height)} size"
    if width is not None and height is not None and width <= 1 and height <= 1:
        return f"{_fmt(width)}×{_fmt(height)} size"
    return ""


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


class _Tokenizer(HTMLParser):
    """Turn one fragment's tokens into builder calls at absolute offsets."""

    def __init__(self, builder: DocumentBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.base = 0
        self.newlines: list[int] = [0]

    def feed_fragment(self, text: str, base: int) -> None:
        self.reset()
        self.base = base
        # getpos() counts only "\n" as a newline, whatever the file uses; mirror that.
        self.newlines = [0, *(m.end() for m in re.finditer("\n", text))]
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.base + self.newlines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, void=tag in VOID_TAGS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, void=True)

    def _start(self, tag: str, *, void: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        spans = attribute_spans(raw)
        attrs = {name: value for name, (value, _, _) in spans.items()}
        url = url_start = url_end = None
        for name in URL_ATTRIBUTES.get(tag, ()):
            if name in spans and spans[name][0].strip():
                url, value_start, value_end = spans[name]
                url_start, url_end = start + value_start, start + value_end
                break
        builder = self.builder
        hidden = hidden_reason(attrs) or builder.inherited_hidden()
        element = PendingElement(
            tag,
            attrs,
            start,
            start + len(raw),
            "html",
            url,
            url_start,
            url_end,
            hidden,
            builder.ancestors(),
        )
        if tag == "img" and attrs.get("alt"):
            element.add_text(attrs["alt"])
        builder.add_element(element, void=void)
        if not void and tag in BLOCK_TAGS:
            builder.mark_block_element(start)

    def handle_endtag(self, tag: str) -> None:
        self.builder.close_element(tag, self._offset())

    def handle_data(self, data: str) -> None:
        self.builder.add_text(data, self._offset())

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        self.builder.comments.append(Comment(start, start + len(data) + 7, data))


class HtmlFeeder:
    """Feed HTML fragments into a builder; one per document, reused for every fragment."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self._tokenizer = _Tokenizer(builder)

    def feed(self, text: str, base: int) -> None:
        """Tokenize `text`, which starts at offset `base` of the document."""
        self._tokenizer.feed_fragment(text, base)
