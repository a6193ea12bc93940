"""Tokenize HTML (whole files or fragments inside Markdown) into the builder, with offsets.

A single compiled master pattern walks the source once: comments, start and end tags (with
quoted attribute values that may contain `>`), declarations, and the text between them.
Raw-text elements (`<script>`, `<style>`, ...) are skipped to their end tag as browsers do.
Offsets come straight from the match positions, so they are exact whatever the newline
style. We tokenize instead of building a tree (BeautifulSoup, html5lib): adlint needs start
tags with attribute spans, an open-element stack for hidden ancestors, and the text, and
this is several times faster than the standard library's HTMLParser.

Every alternative of the pattern can always make progress and quoted values run to the end
of input when unterminated, so scanning is linear in the input size.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

from adlint.css import declarations
from adlint.document import Comment, UrlSpan
from adlint.parse.builder import (
    BLOCK_TAGS,
    MAX_RECORDS,
    VOID_TAGS,
    DocumentBuilder,
    PendingElement,
)
from adlint.parse.srcset import candidates

if TYPE_CHECKING:
    from adlint.parse.outline import HtmlOutline

URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "data-src", "data-lazy-src"),
    "iframe": ("src", "data-src"),
    "script": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
    "input": ("src",),
}
"""Which attributes hold an element's URLs, in order of preference: the first that holds
one gives `Element.url` (but see LAZY_ATTRIBUTES), the others `Element.more_urls`."""
LAZY_ATTRIBUTES = frozenset(("data-src", "data-lazy-src"))
"""Where lazy loaders keep the real URL while `src` holds a placeholder (see `_placeholder`)
until the element scrolls into view: then the real URL is the element's `url`."""
SRCSET_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("srcset", "data-srcset"),
    "source": ("srcset", "data-srcset"),
    "link": ("imagesrcset",),
}
"""Lists of image candidates by tag (`data-srcset` is the lazy loaders' `data-src` for them;
`<link rel="preload" as="image" imagesrcset>` fetches one of its candidates ahead)."""

_ATTRIBUTE = re.compile(
    r"""([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""",
)
_TAG_NAME = re.compile(r"<[a-zA-Z][^\s/>]*")
_SIZE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:px)?")
"""A length once stripped. Articles write these values, so every pattern here must stay
linear: optional spaces around an optional `px` backtracked quadratically over a run of
spaces (40,000 took 10 s)."""


def attribute_spans(tag_text: str, position: int = 0) -> dict[str, tuple[str, int, int]]:
    """Return name -> (decoded value, value start, value end) for a raw start tag.

    Offsets are relative to the tag text and exclude quotes; the first occurrence of a
    repeated attribute wins, as in browsers. `position`, where the attributes begin, is
    given by the tokenizer, which already knows it; 0 finds it past the tag name.
    """
    spans: dict[str, tuple[str, int, int]] = {}
    if not position:
        name_match = _TAG_NAME.match(tag_text)
        position = name_match.end() if name_match else 1
    for match in _ATTRIBUTE.finditer(tag_text, position):
        name, raw = match.group(1, 2)
        name = name.lower()
        if name in spans:
            continue
        if raw is None:
            spans[name] = ("", match.end(1), match.end(1))
            continue
        start = match.start(2)
        if raw[:1] in "\"'":
            raw, start = raw[1:-1], start + 1
        spans[name] = (unescape(raw) if "&" in raw else raw, start, start + len(raw))
    return spans


_HIDING_ATTRIBUTES = frozenset(("hidden", "style", "width", "height"))


def _size(value: str | None) -> float | None:
    match = _SIZE.fullmatch(value.strip()) if value else None
    return float(match.group(1)) if match else None


def hidden_reason(attrs: dict[str, str]) -> str:
    """Why an element is invisible to readers from its own attributes, or ''."""
    if _HIDING_ATTRIBUTES.isdisjoint(attrs):
        return ""
    if "hidden" in attrs:
        return "hidden attribute"
    style = declarations(attrs.get("style", "")) if "style" in attrs else {}
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
    # 1 px on one side and at most 1 px (or not given) on the other: a 1×1 beacon whose
    # code sets only one side is still invisible ("width/height 0 or 1", domain.md §3.1).
    if (width is not None and width <= 1 and (height is None or height <= 1)) or (
        height is not None and height <= 1 and width is None
    ):
        return f"{_fmt(width)}×{_fmt(height)} size"
    return ""


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


_TOKEN = re.compile(
    r"""<!--(?P<comment>.*?)(?:--!?>|\Z)"""
    r"""|<(?P<end>/)?(?P<tag>[a-zA-Z][^\s/>]*)"""
    r"""(?P<attrs>(?:[^>"']+|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*)(?:>|\Z)"""
    r"""|<[!?][^>]*(?:>|\Z)""",
    re.DOTALL,
)
ALWAYS_RECORDED = frozenset(
    (
        *("a", "img", "iframe", "script", "ins", "embed", "object", "video", "audio"),
        *("noscript", "form", "nav", "header", "footer", "aside", "article", "main"),
    )
)
"""Tags recorded as elements even without attributes: they can still be ads or trackers, or
navigation (`nav`, `header`, `footer`, `aside`), whose words ad-density leaves out of the
main content, or what says a header or footer is not the page's (`article`, `main`: theirs
are part of the main content). Other attribute-less tags only nest: a selector cannot name
them."""
RAW_TEXT_TAGS = frozenset(("script", "style", "textarea", "title", "xmp", "noembed"))
_RAW_END: dict[str, re.Pattern[str]] = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in RAW_TEXT_TAGS
}


_URL_SPACE = "\t\n\f\r "
"""ASCII whitespace, which the URL parser strips from both ends of an attribute's URL."""


def _written_urls(
    names: tuple[str, ...], spans: dict[str, tuple[str, int, int]], raw: str, start: int
) -> list[tuple[str, int, int]]:
    """The (url, start, end) of each URL attribute in `names` that holds a URL, the
    element's `url` first, each URL once (`src` and `data-src` often repeat one), URLs and
    spans without the spaces browsers strip from a URL (a message showed them, line breaks
    included). A placeholder in `src` whose lazy attribute holds a real URL is left out:
    the browser never fetches it for the reader, and the real URL is what a rule should
    name (the pixel's host, not `data:`)."""
    found: list[tuple[str, str, int, int]] = []
    for name in names:
        if name in spans and spans[name][0].strip():
            url, value_start, value_end = spans[name]
            written = raw[value_start:value_end]
            value_start += len(written) - len(written.lstrip(_URL_SPACE))
            value_end -= len(written) - len(written.rstrip(_URL_SPACE))
            found.append((name, url.strip(_URL_SPACE), start + value_start, start + value_end))
    if len(found) < 2:
        return [(url, url_start, url_end) for _, url, url_start, url_end in found]
    if _placeholder(found[0][1]):
        for index, (name, url, _, _) in enumerate(found):
            if name in LAZY_ATTRIBUTES and not _placeholder(url):
                found = [found[index], *found[1:index], *found[index + 1 :]]
                break
    unique: dict[str, tuple[str, int, int]] = {}
    for _, url, url_start, url_end in found:
        unique.setdefault(url, (url, url_start, url_end))
    return list(unique.values())


def _placeholder(url: str) -> bool:
    """A lazy loader's stand-in for the real URL: an inline `data:` image (a blank GIF, an
    SVG box) or `about:blank` for a frame."""
    scheme = url.lstrip(_URL_SPACE)[:11].lower()
    return scheme.startswith("data:") or scheme == "about:blank"


class HtmlFeeder:
    """Feed HTML fragments into a builder; one per document, reused for every fragment."""

    def __init__(self, builder: DocumentBuilder, outline: HtmlOutline | None = None) -> None:
        self.builder = builder
        self.outline = outline
        """Given for HTML pages only: Markdown reports its own top-level blocks."""

    def feed(self, text: str, base: int) -> None:
        """Tokenize `text`, which starts at offset `base` of the document."""
        position = 0
        while position < len(text):
            position = self._tokens(text, position, base)

    def _tokens(self, text: str, position: int, base: int) -> int:
        """Feed tokens from `position` on; stop after a raw-text element (`<script>`), whose
        content is no markup, and return where to go on (the end of `text` when done)."""
        builder = self.builder
        outline = self.outline
        for match in _TOKEN.finditer(text, position):
            start, end = match.span()
            if start > position:
                chunk = text[position:start]
                if not chunk.isspace():  # the newlines between tags: no text to record
                    self._text(chunk, base + position)
            position = end
            comment, closing, tag, attribute_text = match.group(1, 2, 3, 4)
            if tag is None:
                if comment is not None:
                    builder.add_comment(Comment(base + start, base + end, comment))
                continue
            tag = tag.lower()
            if closing:
                builder.close_element(tag, base + start)
                if outline is not None and not builder.in_block():
                    outline.tag(tag, base + start, closing=True)
                continue
            if outline is not None and not builder.in_block():
                outline.tag(tag, base + start, closing=False)
            if tag in ALWAYS_RECORDED or attribute_text.strip(" \t\r\n/"):
                attributes_at = match.start(4) - start
                self._start(tag, match.group(), base + start, attribute_text, attributes_at)
            elif tag not in VOID_TAGS:
                # `<li>`, `<u>`, `<p>`: nothing a selector could tell apart; only nesting matters.
                builder.open_plain(tag)
                if tag in BLOCK_TAGS:
                    builder.mark_block_element(base + start)
            if tag in RAW_TEXT_TAGS and not attribute_text.endswith("/"):
                return self._raw_text(tag, text, position, base)
        if position < len(text):
            self._text(text[position:], base + position)
        return len(text)

    def _text(self, data: str, start: int) -> None:
        if self.outline is not None and not self.builder.in_block():
            content = data.lstrip()
            if content:
                self.outline.text(start + len(data) - len(content))
        self.builder.add_text(unescape(data) if "&" in data else data, start)

    def _raw_text(self, tag: str, text: str, position: int, base: int) -> int:
        closing = _RAW_END[tag].search(text, position)
        stop = closing.start() if closing else len(text)
        if stop > position:
            content = text[position:stop]
            self.builder.add_text(unescape(content) if tag == "title" else content, base + position)
        self.builder.close_element(tag, base + stop)
        return closing.end() if closing else stop

    def _candidates(
        self, names: tuple[str, ...], spans: dict[str, tuple[str, int, int]], raw: str, start: int
    ) -> list[UrlSpan]:
        """The candidate URLs of the tag's srcset attributes `names`, each counted as a
        record: one attribute can list thousands."""
        found: list[UrlSpan] = []
        for name in names:
            if name in spans:
                _, value_start, value_end = spans[name]
                found += candidates(raw[value_start:value_end], start + value_start)
        self.builder.records += len(found)
        if self.builder.records > MAX_RECORDS:
            self.builder.too_dense()
        return found

    def _start(
        self, tag: str, raw: str, start: int, attribute_text: str, attributes_at: int
    ) -> None:
        """Record a start tag that has attributes, or that is always recorded (`<a>`, ...)."""
        builder = self.builder
        spans = attribute_spans(raw, attributes_at)
        attrs = {name: value for name, (value, _, _) in spans.items()}
        names = URL_ATTRIBUTES.get(tag)
        found = _written_urls(names, spans, raw, start) if names else []
        url, url_start, url_end = found[0] if found else (None, None, None)
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
            builder.parent(),
        )
        more = [UrlSpan(*written) for written in found[1:]]
        if tag in SRCSET_ATTRIBUTES:
            more += self._candidates(SRCSET_ATTRIBUTES[tag], spans, raw, start)
        if more:
            element.more_urls = tuple(sorted(more, key=lambda other: other.start))
        if tag == "img" and attrs.get("alt"):
            element.add_own_text(attrs["alt"])
        void = tag in VOID_TAGS or attribute_text.rstrip().endswith("/")
        builder.add_element(element, void=void)
        if not void and tag in BLOCK_TAGS:
            builder.mark_block_element(start)
