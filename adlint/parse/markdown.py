"""Walk pyromark (pulldown-cmark) events into the builder, at exact source offsets.

pulldown-cmark is a CommonMark parser in Rust that reports the source range of every event,
so links, images, inline and block HTML are located without searching: a link's range spans
`[text](destination)`, and the destination is read from the end of that range. Ranges are
UTF-8 byte offsets; `ByteOffsets` turns them into string offsets. We chose it over
markdown-it-py because it is over ten times faster and its ranges are exact, where
markdown-it-py gives inline tokens no positions at all (see the project notes).
"""

from __future__ import annotations

import bisect
import re
import string
from array import array
from dataclasses import dataclass
from html import unescape
from typing import Any

import pyromark

from adlint.parse.builder import DocumentBuilder, PendingElement
from adlint.parse.html import HtmlFeeder

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,:;!?*_~'\""
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DESTINATION_RUN = re.compile(r"[^\s()]*")
"""A destination up to its first space or parenthesis (`\\s` is exactly `str.isspace`)."""
_ASCII_PUNCTUATION = frozenset(string.punctuation)
"""What a backslash escapes in CommonMark."""
_BLOCKS = frozenset(
    (
        "Paragraph",
        "Heading",
        "BlockQuote",
        "CodeBlock",
        "HtmlBlock",
        "List",
        "Table",
        "Item",
        "FootnoteDefinition",
        "DefinitionList",
    )
)


class ByteOffsets:
    """Convert UTF-8 byte offsets of a string into character offsets.

    Only runs of non-ASCII characters make the two differ, so we keep one record per run
    and the conversion is a bisect; ASCII-only text (most articles) is the identity. The
    records are machine integers in arrays (32 bytes a run): as tuples of Python ints, a
    25 MB page alternating accented and plain letters held 5 million of them in 0.9 GB.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.byte_starts = array("q")
        """Per run of non-ASCII characters: where it starts, in bytes."""
        self.char_starts = array("q")
        self.char_ends = array("q")
        self.extras = array("q")
        """Bytes added by this run and the earlier ones."""
        if self.ascii:
            return
        extra = 0
        for match in _NON_ASCII.finditer(text):
            start, end = match.span()
            self.byte_starts.append(start + extra)
            extra += len(match.group().encode("utf-8")) - (end - start)
            self.char_starts.append(start)
            self.char_ends.append(end)
            self.extras.append(extra)

    def __call__(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        index = bisect.bisect_right(self.byte_starts, byte_offset) - 1
        if index < 0:
            return byte_offset
        extra, char_end = self.extras[index], self.char_ends[index]
        if byte_offset >= char_end + extra:
            return byte_offset - extra
        char_start = self.char_starts[index]
        run = self.text[char_start:char_end].encode("utf-8")
        prefix = run[: byte_offset - self.byte_starts[index]]
        return char_start + len(prefix.decode("utf-8", "ignore"))


def _unescape_destination(raw: str) -> str:
    """What pulldown-cmark reports for a raw destination: entities and escapes decoded."""
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return _ESCAPED.sub(r"\1", unescape(raw) if "&" in raw else raw)


class MarkdownWalker:
    """Feed one Markdown body into the builder."""

    def __init__(self, text: str, builder: DocumentBuilder) -> None:
        self.text = text
        self.builder = builder
        self.html = HtmlFeeder(builder)
        self.offsets = ByteOffsets(text)
        self.depth = 0
        self.skip_code = 0
        self.definitions: dict[str, Any] | None = None
        self.image: PendingElement | None = None
        """The image being read: its Text events are alt text, not prose."""
        self.top_blocks: list[int] = []
        """Where each top-level block begins (see Document.top_blocks)."""
        self.links: list[_OpenLink] = []
        """The links and images being read, innermost last."""

    def walk(self) -> None:
        position = self.offsets
        ascii_only = position.ascii
        links = self.links
        for event, span in pyromark.events_with_range(self.text, options=_OPTIONS):
            if isinstance(event, str):  # SoftBreak, HardBreak, Rule
                if links:
                    end = span["end"] if ascii_only else position(span["end"])
                    links[-1].text_end = max(links[-1].text_end, end)
                continue
            if ascii_only:
                start, end = span["start"], span["end"]
            else:
                start, end = position(span["start"]), position(span["end"])
            if links and event.get("End") not in _LINKS:
                links[-1].text_end = max(links[-1].text_end, end)  # a part of its text
            if "Text" in event:
                if self.image is not None:
                    self.image.add_own_text(event["Text"])
                elif not self.skip_code:
                    self._text(event["Text"], start, end)
            elif "Start" in event:
                self._start(event["Start"], start, end)
            elif "End" in event:
                self._end(event["End"], end)
            elif "InlineHtml" in event:
                self.html.feed(self.text[start:end], start)

    def _start(self, start_event: Any, start: int, end: int) -> None:
        name = start_event if isinstance(start_event, str) else next(iter(start_event))
        if name in _BLOCKS:
            if self.depth == 0:
                self.top_blocks.append(start)
            if self.depth == 0 or (name == "Item" and self.depth == 1):
                self.builder.start_block(start)
            self.depth += 1
        if name == "CodeBlock":
            self.skip_code += 1
        elif name == "HtmlBlock":
            # The whole block at once: a tag may span lines (`<ins class=...\n data-...>`).
            self.html.feed(self.text[start:end], start)
        elif name in ("Link", "Image"):
            self._link(name, start_event[name], start, end)

    def _end(self, end_event: Any, end: int) -> None:
        name = end_event if isinstance(end_event, str) else next(iter(end_event))
        if name in _BLOCKS:
            self.depth -= 1
            if self.depth == 0 or (name == "Item" and self.depth == 1):
                self.builder.end_block(end)
        if name == "CodeBlock":
            self.skip_code -= 1
        elif name in _LINKS:
            self._close_link(self.links.pop(), end)

    def _text(self, content: str, start: int, end: int) -> None:
        self.builder.add_text(content, start)
        if "://" in content and not self.builder.in_link():
            self._bare_urls(content, start, end)

    def _bare_urls(self, content: str, start: int, end: int) -> None:
        """GitHub and most static-site renderers turn bare URLs into links (GFM autolinks)."""
        source = self.text[start:end]
        for match in _BARE_URL.finditer(source):
            url = match.group().rstrip(_TRAILING_PUNCTUATION)
            begin = start + match.start()
            self._add(
                "a",
                {"href": url},
                begin,
                begin + len(url),
                url,
                (begin, begin + len(url)),
                void=True,
            )

    def _link(self, name: str, info: dict[str, Any], start: int, end: int) -> None:
        url = info["dest_url"]
        tag = "a" if name == "Link" else "img"
        attrs = {"href": url} if tag == "a" else {"src": url}
        if info.get("title"):
            attrs["title"] = info["title"]
        kind = info.get("link_type", "Inline")
        span: tuple[int, int] | None = None
        if kind in ("Autolink", "Email"):
            span = (start + 1, end - 1)
        elif kind != "Inline":
            span = self._definition_destination(info.get("id", ""), url)
        construct_end = end if tag == "img" else span[1] if span else end
        element = self._add(tag, attrs, start, construct_end, url, span, void=tag == "img")
        # `![` or `[`: where the text would end if it were empty
        text_start = start + 2 if tag == "img" else start + 1
        self.links.append(_OpenLink(element, kind == "Inline", text_start, end))

    def _close_link(self, link: _OpenLink, end: int) -> None:
        """At the link's end its text is known, so its inline destination can be found."""
        element = link.element
        if link.inline and element.url is not None:
            span = self._inline_destination(element.url, link.text_end, link.end)
            if span is not None:
                element.url_start, element.url_end = span
                if element.tag == "a":
                    element.end = span[1]
        if element.tag == "a":
            self.builder.close_element("a", end)
        else:
            self.image = None

    def _inline_destination(self, url: str, text_end: int, end: int) -> tuple[int, int] | None:
        """The destination follows the `](` that ends the link text: the first one after the
        text's last part. Searching from the link's end instead tried every `](` inside a
        title, each up to the end: 20,000 of them took 31 s. A few more are tried in case a
        text part ended early; each try reads only up to the link's end.
        """
        opening = self.text.find("](", text_end, end)
        for _ in range(_DESTINATION_TRIES):
            if opening < 0:
                return None
            rest = self.text[opening + 2 : end]
            stripped = rest.lstrip(" \t\r\n")
            begin = opening + 2 + len(rest) - len(stripped)
            raw = _raw_destination(stripped)
            if _unescape_destination(raw) == url:
                return _span(raw, begin)
            opening = self.text.find("](", opening + 2, end)
        return None

    def _definition_destination(self, label: str, url: str) -> tuple[int, int] | None:
        if self.definitions is None:
            self.definitions = {
                key.lower(): value
                for key, value in pyromark.reference_definitions(self.text).items()
            }
        definition = self.definitions.get(label.lower())
        if definition is None:
            return None
        start = self.offsets(definition["span"]["start"])
        end = self.offsets(definition["span"]["end"])
        source = self.text[start:end]
        colon = source.find("]:")
        if colon < 0:
            return None
        rest = source[colon + 2 :].lstrip(" \t\r\n")
        begin = start + len(source) - len(rest)
        return _span(_raw_destination(rest), begin)

    def _add(
        self,
        tag: str,
        attrs: dict[str, str],
        start: int,
        end: int,
        url: str,
        span: tuple[int, int] | None,
        *,
        void: bool,
    ) -> PendingElement:
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
            builder.parent(),
        )
        builder.add_element(element, void=void)
        if tag == "img":
            self.image = element
        return element


_LINKS = ("Link", "Image")
_DESTINATION_TRIES = 4


@dataclass(slots=True)
class _OpenLink:
    """A link or image whose End event has not come: where its text ends so far."""

    element: PendingElement
    inline: bool
    """Whether its destination is written in it (`[text](dest)`), to be found at its end."""
    text_end: int
    end: int


def render_html(markdown: str) -> str:
    """Markdown as HTML, rendered by the parser that reads articles, so a snippet a rule
    gives in Markdown (a disclosure) means the same in an HTML article."""
    return pyromark.html(markdown, options=_OPTIONS)


def _span(raw: str, begin: int) -> tuple[int, int]:
    """The URL's own span: without the angle brackets of `<dest>`."""
    if raw.startswith("<") and raw.endswith(">") and len(raw) > 1:
        return begin + 1, begin + len(raw) - 1
    return begin, begin + len(raw)


def _raw_destination(rest: str) -> str:
    """The destination at the start of `rest`: `<...>` or a run without spaces, with
    balanced parentheses, as CommonMark defines it."""
    if rest.startswith("<"):
        close = rest.find(">")
        return rest[: close + 1] if close > 0 else rest
    stop = _DESTINATION_RUN.match(rest).end()  # type: ignore[union-attr]
    if stop == len(rest) or (rest[stop] != "(" and "\\" not in rest[:stop]):
        return rest[:stop]  # no parentheses to balance, none escaped: the run is it
    depth = 0
    escaped = False
    for index, char in enumerate(rest):
        if escaped:  # `\(` and `\)` are characters, not parentheses
            escaped = False
            continue
        if char == "\\" and rest[index + 1 : index + 2] in _ASCII_PUNCTUATION:
            escaped = True
            continue
        if char.isspace() or (char == ")" and depth == 0):
            return rest[:index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
    return rest
