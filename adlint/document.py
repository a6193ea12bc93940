"""The parsed article: original text, elements with exact offsets, and offset -> line:column.

Every position in adlint is an offset into `Document.text`, captured while parsing. Only
`Document.position` turns offsets into 1-based lines and columns, so `\\r\\n`, lone `\\r`,
front matter and BOMs are handled in exactly one place.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from adlint.record import frozen_record

_Answer = TypeVar("_Answer")

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE_FEED = re.compile(r"\n")


def line_starts_of(text: str) -> tuple[int, ...]:
    """Return the offset where each line begins (`\\r\\n`, `\\r` and `\\n` all end a line).

    Text without `\\r` (nearly all) searches for the literal `\\n`, which `re` scans for in
    C: the alternation steps through every character and took 6x as long on a 20 KB article.
    """
    newline = _NEWLINE if "\r" in text else _LINE_FEED
    return (0, *(m.end() for m in newline.finditer(text)))


@dataclass(frozen=True)
class UrlSpan:
    """A URL an element carries besides `Element.url` (a srcset candidate, a `poster`, a
    lazy loader's `data-src` beside a real `src`), and where it is written."""

    url: str
    """As written, after entity decoding."""
    start: int
    end: int


@dataclass(frozen=True)
class Element:
    """One HTML element or Markdown construct, in HTML vocabulary (Markdown links are `a`)."""

    tag: str
    attrs: Mapping[str, str]
    """Attribute names lower-cased, values with character references decoded."""
    start: int
    """Offset of the tag's `<` (or the Markdown construct's first character)."""
    end: int
    """Offset just past the opening tag (or the Markdown construct)."""
    origin: str = "html"
    """`html` for markup (HTML files and HTML inside Markdown), `markdown` for Markdown syntax."""
    url: str | None = None
    """The element's primary URL (href, src, data, action), as written after entity decoding:
    the first of its URL attributes that holds one, except that a lazy loader's placeholder
    (a `data:` URL or `about:blank` in `src`) gives way to the real URL in `data-src` or
    `data-lazy-src`. What sees the element once (`at: element`, counting kinds) reads it."""
    url_start: int | None = None
    url_end: int | None = None
    own_text: str = ""
    """Text only this element holds: an image's alt text, a `<script>`'s or `<title>`'s
    content (at most MAX_TEXT characters). `Document.element_text` adds the prose inside."""
    text_runs: tuple[int, int] = (0, 0)
    """The `Document.runs` (first, past the last) read while the element was open."""
    hidden: str = ""
    """Why the element is invisible to readers (empty when visible)."""
    parent: int = -1
    """Index into Document.elements of the innermost enclosing element, -1 for none
    (`Document.ancestors` walks them all)."""
    index: int = 0
    more_urls: tuple[UrlSpan, ...] = ()
    """The element's other URLs, in source order: its other URL attributes that hold a URL
    not already seen (an `<img>`'s `src` and a different `data-src`, a `<video>`'s
    `poster`), and the image candidates of `srcset` and `data-srcset` (`<img>`, `<source>`)
    and `imagesrcset` (`<link>`). The browser may load any of them, so each is a URL of the
    element that `at: url` rules and the link checker see at its own position."""

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.attrs.get("class", "").split())

    def url_views(self) -> tuple[Element, ...]:
        """The element once per URL it carries: itself (with `url`, or with no URL when it
        has no `more_urls` either), then a copy per one of `more_urls` with that URL as its
        `url` and span. Copies keep `index`, so memos by element still apply; selectors
        test each copy, so `url:`, `host:` and `at: url` see each URL at its own position."""
        if not self.more_urls:
            return (self,)
        views = [self] if self.url is not None else []
        for candidate in self.more_urls:
            fields = {**self.__dict__, "more_urls": ()}
            fields.update(url=candidate.url, url_start=candidate.start, url_end=candidate.end)
            views.append(frozen_record(Element, fields))
        return tuple(views)


MAX_TEXT = 2000
"""Characters of an element's text that selectors see: enough to recognise a label or a
link text, bounded for huge documents."""


@dataclass(frozen=True)
class Comment:
    """An HTML comment, kept for suppression directives."""

    start: int
    end: int
    body: str
    """The text between `<!--` and `-->`."""

    @property
    def body_start(self) -> int:
        """Where `body` begins: right after the `<!--` at `start`."""
        return self.start + len("<!--")


@dataclass(frozen=True)
class Block:
    """A top-level block of readable content (paragraph, heading, list item, ...)."""

    start: int
    end: int
    words: int
    link_words: int = 0
    """Of `words`, those in link text: a block of little else is a link list (navigation)."""


@dataclass(frozen=True)
class TextRun:
    """A piece of text a reader sees, at its source offset."""

    start: int
    text: str


@dataclass(frozen=True)
class Problem:
    """Something the parser could not make sense of; becomes a `parse-error` finding."""

    start: int
    reason: str


@dataclass(frozen=True)
class Document:
    """A parsed article. `text` is the original source, never modified."""

    path: str
    text: str
    format: str
    """`markdown` or `html`."""
    elements: tuple[Element, ...] = ()
    comments: tuple[Comment, ...] = ()
    blocks: tuple[Block, ...] = ()
    runs: tuple[TextRun, ...] = ()
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    body_start: int = 0
    """Offset of the first character after the front matter."""
    top_blocks: tuple[int, ...] = ()
    """Where each top-level block begins, ascending: in Markdown the paragraphs, lists,
    tables, blockquotes, HTML blocks...; in HTML the outermost elements that are not mere
    containers, and runs of inline content directly in one (parse/outline.py; found only
    when parsed with `outline=True`, as `adlint fix` parses). A paragraph inserted at one of
    these offsets leaves the article's structure whole."""
    problems: tuple[Problem, ...] = ()
    line_starts: tuple[int, ...] = ()
    run_words: tuple[int, ...] = ()
    """Words in each of `runs`, counted once by the parser (empty if made without them)."""

    @property
    def words(self) -> int:
        """Visible prose words (no code, scripts, comments, front matter)."""
        return sum(block.words for block in self.blocks)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of an offset; columns count code points."""
        starts = self.line_starts or line_starts_of(self.text)
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_start(self, offset: int) -> int:
        """The offset where the line holding `offset` begins."""
        return offset - self.position(offset)[1] + 1

    def top_block_start(self, offset: int) -> int | None:
        """Where the top-level block holding `offset` begins (None before the first one)."""
        index = bisect.bisect_right(self.top_blocks, offset) - 1
        return self.top_blocks[index] if index >= 0 else None

    @functools.cached_property
    def has_more_urls(self) -> bool:
        """Whether any element carries several URLs (`Element.more_urls`)."""
        return any(element.more_urls for element in self.elements)

    @functools.cached_property
    def _by_tag(self) -> dict[str, list[Element]]:
        index: dict[str, list[Element]] = {}
        for element in self.elements:
            index.setdefault(element.tag, []).append(element)
        return index

    def element_starting_at(self, offset: int) -> Element | None:
        """The first element whose tag or URL starts at `offset`, or None."""
        return self._by_offset.get(offset)

    @functools.cached_property
    def _by_offset(self) -> dict[int, Element]:
        index: dict[int, Element] = {}
        for element in self.elements:
            index.setdefault(element.start, element)
            if element.url_start is not None:
                index.setdefault(element.url_start, element)
            for candidate in element.more_urls:
                index.setdefault(candidate.start, element)
        return index

    def candidates(self, tags: frozenset[str] | None) -> Sequence[Element]:
        """The elements whose tag is in `tags` (all when None), in document order."""
        if tags is None:
            return self.elements
        if len(tags) == 1:
            return self._by_tag.get(next(iter(tags)), [])
        return [element for element in self.elements if element.tag in tags]

    def ancestors(self, element: Element) -> list[Element]:
        """The elements enclosing `element`, innermost first."""
        found = []
        while element.parent >= 0:
            element = self.elements[element.parent]
            found.append(element)
        return found

    def nearest_ancestor(
        self,
        element: Element,
        answer: Callable[[Element], _Answer | None],
        memo: dict[int, _Answer | None],
    ) -> _Answer | None:
        """`answer` for the innermost enclosing element it gives one for (not None), or None.

        `memo` is the caller's, one per question and document, and opaque: the elements of
        a document ask about shared ancestors, and walking every chain would take time
        growing with the square of the nesting depth. The memo keeps each element's result
        (by its index), so chains are walked once, and each `answer` (by -2 - its index), so
        it is asked once per element, not once per child: an answer may be costly (a
        selector's pattern over a 100 KB attribute, asked by 10,000 children).
        """
        walked = []
        result: _Answer | None = None
        while element.index not in memo:
            walked.append(element.index)
            if element.parent < 0:
                break
            element = self.elements[element.parent]
            key = -2 - element.index
            if key in memo:
                result = memo[key]
            else:
                result = memo[key] = answer(element)
            if result is not None:
                break
        else:
            result = memo[element.index]
        for index in walked:
            memo[index] = result
        return result

    def element_text(self, element: Element) -> str:
        """The element's text as a reader sees it, whitespace-collapsed, at most MAX_TEXT
        characters: its own text, then the prose runs inside it.

        Read from the runs when asked, not copied into every element while parsing: copying
        each text into every open ancestor took time and memory growing with the nesting
        depth (30,000 `<b class=c>x` made 4 GB and took a minute), and only `text:`
        selectors ask.
        """
        parts = [element.own_text] if element.own_text else []
        size = len(element.own_text)
        runs = self.runs
        first, last = element.text_runs
        for index in range(first, min(last, len(runs))):
            if size >= MAX_TEXT:
                break
            text = runs[index].text
            parts.append(text)
            size += len(text)
        return " ".join(" ".join(parts).split())[:MAX_TEXT] if parts else ""
