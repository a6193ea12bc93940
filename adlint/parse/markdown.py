"""Walk markdown-it-py tokens into the builder, locating every link at its exact offset.

markdown-it gives block tokens a line map but inline tokens no positions, so each inline
token's children are located in the block's source with a moving cursor: tokens come in
source order, and a destination only counts when it normalises to the token's own href, so
a code span or an earlier identical-looking construct cannot be mistaken for the link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

from adlint.parse.builder import DocumentBuilder, PendingElement
from adlint.parse.html import HtmlFeeder

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_INLINE_DESTINATION = re.compile(
    r"\]\([ \t]*\n?[ \t]*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))"
)
_DEFINITION = re.compile(
    r"^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*\n?[ \t]*(?:<([^<>\n]*)>|(\S+))", re.MULTILINE
)
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,:;!?*_~'\""


class MarkdownWalker:
    """Feed one Markdown body into the builder; `text` is newline-normalised."""

    def __init__(self, text: str, builder: DocumentBuilder, line_starts: Sequence[int]) -> None:
        self.text = text
        self.builder = builder
        self.html = HtmlFeeder(builder)
        self.line_starts = line_starts
        self.definitions = self._definitions()

    def walk(self) -> None:
        for token in _MD.parse(self.text):
            self._block(token)

    def _line(self, index: int) -> int:
        return self.line_starts[index] if index < len(self.line_starts) else len(self.text)

    def _block(self, token: Token) -> None:
        starts_block = token.map is not None and (
            token.level == 0 or token.type == "list_item_open" and token.level == 1
        )
        if starts_block and token.map is not None:
            self.builder.start_block(self._line(token.map[0]))
        if token.type == "html_block" and token.map is not None:
            start, end = self._line(token.map[0]), self._line(token.map[1])
            self.html.feed(self.text[start:end], start)
        elif token.type == "inline" and token.map is not None:
            _InlineCursor(self, self._line(token.map[0]), self._line(token.map[1])).walk(
                token.children or []
            )
        if (
            token.nesting == -1
            and (token.level == 0 or token.type == "list_item_close" and token.level == 1)
            or starts_block
            and token.nesting == 0
        ):
            self.builder.end_block(self._line(token.map[1]) if token.map else len(self.text))

    def _definitions(self) -> dict[str, tuple[int, int]]:
        """Map each reference definition's normalised href to its destination span."""
        spans: dict[str, tuple[int, int]] = {}
        if "]:" not in self.text:
            return spans
        for match in _DEFINITION.finditer(self.text):
            group = 1 if match.group(1) is not None else 2
            href = _MD.normalizeLink(unescapeAll(match.group(group)))
            spans.setdefault(href, (match.start(group), match.end(group)))
        return spans


class _InlineCursor:
    """Locate one inline token's children in source order within [start, end)."""

    def __init__(self, walker: MarkdownWalker, start: int, end: int) -> None:
        self.walker = walker
        self.text = walker.text
        self.builder = walker.builder
        self.cursor = start
        self.end = end

    def walk(self, children: list[Token]) -> None:
        for index, child in enumerate(children):
            kind = child.type
            if kind == "text":
                self._text(child.content)
            elif kind == "code_inline":
                self._skip_code(child.markup)
            elif kind == "html_inline":
                self._html(child.content)
            elif kind == "link_open":
                following = children[index + 1].content if index + 1 < len(children) else ""
                self._link(child, following)
            elif kind == "link_close":
                self.builder.close_element("a", self.cursor)
            elif kind == "image":
                self._image(child)

    def _find(self, needle: str) -> int:
        return self.text.find(needle, self.cursor, self.end) if needle else -1

    def _text(self, content: str) -> None:
        found = self._find(content)
        start = found if found >= 0 else self.cursor
        self.builder.add_text(content, start)
        if found >= 0:
            self._bare_urls(content, found)
            self.cursor = found + len(content)

    def _bare_urls(self, content: str, start: int) -> None:
        """GitHub and most static-site renderers turn bare URLs into links (GFM autolinks)."""
        if "://" not in content or self.builder.in_link():
            return
        for match in _BARE_URL.finditer(content):
            url = match.group().rstrip(_TRAILING_PUNCTUATION)
            begin = start + match.start()
            span = (begin, begin + len(url))
            self._add_link("a", {"href": url}, begin, span[1], url, span, void=True)

    def _skip_code(self, markup: str) -> None:
        opening = self._find(markup)
        if opening >= 0:
            closing = self.text.find(markup, opening + len(markup), self.end)
            self.cursor = closing + len(markup) if closing >= 0 else opening + len(markup)

    def _html(self, content: str) -> None:
        found = self._find(content)
        if found >= 0:
            self.walker.html.feed(content, found)
            self.cursor = found + len(content)

    def _link(self, token: Token, following_text: str) -> None:
        href = str(token.attrs.get("href", ""))
        attrs = {"href": href}
        if token.attrs.get("title"):
            attrs["title"] = str(token.attrs["title"])
        if token.markup == "autolink":
            found = self._find("<" + following_text + ">")
            span = (found + 1, found + 1 + len(following_text)) if found >= 0 else None
            start = found if found >= 0 else self.cursor
        else:
            start = max(self._find("["), self.cursor)
            span = self._destination(href)
        self._add_link("a", attrs, start, span[1] if span else start, href, span, void=False)
        self.cursor = start + 1

    def _image(self, token: Token) -> None:
        src = str(token.attrs.get("src", ""))
        start = max(self._find("!["), self.cursor)
        span = self._destination(src)
        attrs = {"src": src, "alt": token.content}
        if token.attrs.get("title"):
            attrs["title"] = str(token.attrs["title"])
        self._add_link("img", attrs, start, span[1] if span else start, src, span, void=True)
        if span and span[0] >= self.cursor:
            self.cursor = span[1]

    def _destination(self, href: str) -> tuple[int, int] | None:
        """Find the inline destination that normalises to `href`, else its definition."""
        position = self.cursor
        while True:
            match = _INLINE_DESTINATION.search(self.text, position, self.end)
            if match is None:
                return self.walker.definitions.get(href)
            group = 1 if match.group(1) is not None else 2
            if _MD.normalizeLink(unescapeAll(match.group(group))) == href:
                return match.start(group), match.end(group)
            position = match.end()

    def _add_link(
        self,
        tag: str,
        attrs: dict[str, str],
        start: int,
        end: int,
        url: str,
        span: tuple[int, int] | None,
        *,
        void: bool,
    ) -> None:
        url_start, url_end = span if span else (None, None)
        builder = self.builder
        element = PendingElement(
            tag,
            attrs,
            start,
            end,
            "markdown",
            url,
            url_start,
            url_end,
            builder.inherited_hidden(),
            builder.ancestors(),
        )
        if tag == "img" and attrs.get("alt"):
            element.add_text(attrs["alt"])
        builder.add_element(element, void=void)
