"""Collect elements, comments, text runs and blocks while a parser walks the source.

Both parsers feed one builder, so HTML embedded in Markdown shares the open-element stack
with the Markdown around it: `<a href>` in one inline fragment, Markdown text, then `</a>`
in another fragment still gives the anchor its text, and a hidden `<div>` hides what follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adlint.document import MAX_TEXT, Block, Comment, Element, TextRun, UrlSpan
from adlint.errors import ParseError
from adlint.parse.outline import CONTAINER_TAGS
from adlint.record import frozen_record

MAX_RECORDS = 1_000_000
"""Elements, tags, text runs, blocks and comments one document may hold. Articles hold a
few hundred; each costs ~0.85 KB, so a 64 MB file of three-character paragraphs (`x` and
a blank line) would need 18 GB. Past this the file is a parse-error, as one over 64 MB."""


def count_words(text: str) -> int:
    """Whitespace-separated words: what a reader (and the density rule) counts; fast."""
    return len(text.split())


VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
"""Elements that never have content, so they are never pushed on the open stack."""

TEXTLESS_TAGS = frozenset(("script", "style", "template", "textarea", "title"))
"""Elements whose content is not prose a reader sees."""


@dataclass(slots=True)
class PendingElement:
    """An element still open: its text grows until its end tag arrives."""

    tag: str
    attrs: dict[str, str]
    start: int
    end: int
    origin: str
    url: str | None
    url_start: int | None
    url_end: int | None
    hidden: str
    parent: int
    own_text: list[str] = field(default_factory=list)
    own_size: int = 0
    first_run: int = 0
    """How many text runs were recorded before the element opened."""
    last_run: int | None = None
    """How many when it closed (None: void, or still open)."""
    more_urls: tuple[UrlSpan, ...] = ()

    def add_own_text(self, text: str) -> None:
        """Text only this element holds (alt text, a script's content)."""
        if self.own_size < MAX_TEXT:
            self.own_text.append(text)
            self.own_size += len(text)


class OpenTag:
    """An entry of the open-element stack.

    It also carries what the stack as a whole says about anything opened inside it (the
    recorded elements around it, the innermost hiding one): the stack only ever grows and
    shrinks at the top, so these stay true, and asking them costs nothing per tag or text.
    """

    __slots__ = (
        "tag",
        "index",
        "hidden",
        "owns_block",
        "saved_block",
        "recorded",
        "hiding",
        "in_block",
        "in_link",
    )

    def __init__(self, tag: str, index: int, hidden: str, parent: OpenTag | None) -> None:
        self.tag = tag
        self.index = index
        self.hidden = hidden
        self.owns_block = False
        """True when this element (p, li, h1, ...) started the current content block."""
        self.saved_block: int | None = None
        """The block that was current before this one opened, restored when it closes."""
        self.recorded: int = index if index >= 0 or parent is None else parent.recorded
        """The innermost recorded element open here (this one included), or -1: the parent of
        an element opened inside. Only that one index, not the whole chain: a tuple of every
        enclosing element, copied into each, grew with the square of the nesting depth."""
        inherited = parent.hiding if parent is not None else ""
        self.hiding = f"inside hidden <{tag}>" if hidden else inherited
        """Why something opened inside is hidden by this entry or one around it, or ''."""
        self.in_block: bool = tag not in CONTAINER_TAGS or (parent is not None and parent.in_block)
        """Whether this entry or one around it is more than a container (see `in_block`)."""
        self.in_link: bool = tag == "a" or (parent is not None and parent.in_link)


class DocumentBuilder:
    """Accumulate what parsers find, in document order; `freeze()` makes the records."""

    def __init__(self) -> None:
        self.pending: list[PendingElement] = []
        self.comments: list[Comment] = []
        self.runs: list[TextRun] = []
        self.run_words: list[int] = []
        self.block_spans: list[list[int]] = []
        self.block_words: list[int] = []
        self.block_link_words: list[int] = []
        self.stack: list[OpenTag] = []
        self.open_tags: dict[str, int] = {}
        """How many entries of the stack have each tag: an end tag with none open is
        ignored at once, where searching the stack for it made every stray `</span>`
        cost the depth of the page (20,000 of them under 20,000 `<div>`s took 12 s)."""
        self.current_block: int | None = None
        self.records = 0
        """Records made so far, held to MAX_RECORDS."""

    # -- elements -------------------------------------------------------------------------
    def count(self) -> None:
        """Count one more record against MAX_RECORDS (read here, so tests can lower it).
        The hot paths (tags, text runs, blocks) inline these lines: as a call, the count
        cost 2.5% of parsing, inline 1.2% (callgrind)."""
        self.records += 1
        if self.records > MAX_RECORDS:
            self.too_dense()

    @staticmethod
    def too_dense() -> None:
        raise ParseError(
            f"more than {MAX_RECORDS:,} elements, text runs and blocks (an article holds "
            "a few hundred): too dense to lint, not linted"
        )

    def add_comment(self, comment: Comment) -> None:
        self.count()
        self.comments.append(comment)

    def add_element(self, element: PendingElement, *, void: bool) -> int:
        """Record an element; non-void elements stay open until `close_element`."""
        self.records += 1
        if self.records > MAX_RECORDS:
            self.too_dense()
        index = len(self.pending)
        self.pending.append(element)
        element.first_run = len(self.runs)
        if void:
            element.last_run = element.first_run
        else:
            stack = self.stack
            stack.append(OpenTag(element.tag, index, element.hidden, stack[-1] if stack else None))
            self.open_tags[element.tag] = self.open_tags.get(element.tag, 0) + 1
        return index

    def close_element(self, tag: str, end: int) -> None:
        """Close the innermost open `tag` and everything opened inside it."""
        stack = self.stack
        if stack and stack[-1].tag == tag:  # well-formed markup: the common case
            self.open_tags[tag] -= 1
            self._end_block(stack.pop(), end)
            return
        if not self.open_tags.get(tag):
            return
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].tag == tag:
                for entry in stack[depth:]:
                    self.open_tags[entry.tag] -= 1
                    self._end_block(entry, end)
                del stack[depth:]
                return

    def open_plain(self, tag: str) -> None:
        """Open a tag that is not recorded as an element (no attributes, nothing to select)
        but still nests: it closes blocks, and its hidden ancestors still hide."""
        self.records += 1
        if self.records > MAX_RECORDS:
            self.too_dense()
        stack = self.stack
        stack.append(OpenTag(tag, -1, "", stack[-1] if stack else None))
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1

    def parent(self) -> int:
        """The index of the innermost recorded element open now, or -1."""
        return self.stack[-1].recorded if self.stack else -1

    def inherited_hidden(self) -> str:
        """Why an element opened now is hidden by an ancestor, or ''."""
        return self.stack[-1].hiding if self.stack else ""

    def in_block(self) -> bool:
        """Whether what comes now is inside a top-level block, not directly in containers.
        Asked only while an HTML page is outlined for `adlint fix` (parse/outline.py), for
        every tag and text: the top entry knows, where walking the stack made 20,000 nested
        `<div>`s take 16 s."""
        return bool(self.stack) and self.stack[-1].in_block

    def in_link(self) -> bool:
        """Whether text now is inside an `<a>` (asked for text that may hold a bare URL)."""
        return bool(self.stack) and self.stack[-1].in_link

    # -- text -----------------------------------------------------------------------------
    def add_text(self, text: str, start: int) -> None:
        """Record visible text: a prose run (the open elements' text), words for the block."""
        if not text or text.isspace():
            return
        linked = False
        if self.stack:
            top = self.stack[-1]
            if top.tag in TEXTLESS_TAGS:
                if top.index >= 0:
                    self.pending[top.index].add_own_text(text)
                return
            if top.hiding:
                return
            linked = top.in_link
        self.records += 1
        if self.records > MAX_RECORDS:
            self.too_dense()
        self.runs.append(frozen_record(TextRun, {"start": start, "text": text}))
        words = count_words(text)
        self.run_words.append(words)
        block = self.current_block
        if block is None:
            block = self.open_block(start)
            self.block_spans[block][1] = start + len(text)
            self.current_block = None
        self.block_words[block] += words
        if linked:
            self.block_link_words[block] += words

    # -- blocks ---------------------------------------------------------------------------
    def open_block(self, start: int) -> int:
        self.records += 1
        if self.records > MAX_RECORDS:
            self.too_dense()
        self.block_spans.append([start, start])
        self.block_words.append(0)
        self.block_link_words.append(0)
        return len(self.block_spans) - 1

    def start_block(self, start: int) -> None:
        """Begin a content block that text will count towards until `end_block`."""
        self.current_block = self.open_block(start)

    def end_block(self, end: int) -> None:
        if self.current_block is not None:
            self.block_spans[self.current_block][1] = end
        self.current_block = None

    def mark_block_element(self, start: int) -> None:
        """Make the element just opened an HTML content block (p, li, h1, ...)."""
        if self.stack:
            entry = self.stack[-1]
            entry.owns_block = True
            entry.saved_block = self.current_block
            self.current_block = self.open_block(start)

    def _end_block(self, entry: OpenTag, end: int) -> None:
        if entry.index >= 0:
            self.pending[entry.index].last_run = len(self.runs)
        if entry.owns_block:
            if self.current_block is not None:
                self.block_spans[self.current_block][1] = end
            self.current_block = entry.saved_block

    # -- freezing -------------------------------------------------------------------------
    def freeze_elements(self) -> tuple[Element, ...]:
        elements = []
        runs = len(self.runs)
        for index, p in enumerate(self.pending):
            own = " ".join(" ".join(p.own_text).split())[:MAX_TEXT] if p.own_text else ""
            last = p.last_run if p.last_run is not None else runs
            fields = {
                "tag": p.tag,
                "attrs": p.attrs,
                "start": p.start,
                "end": p.end,
                "origin": p.origin,
                "url": p.url,
                "url_start": p.url_start,
                "url_end": p.url_end,
                "own_text": own,
                "text_runs": (p.first_run, last),
                "hidden": p.hidden,
                "parent": p.parent,
                "index": index,
                "more_urls": p.more_urls,
            }
            elements.append(frozen_record(Element, fields))
        return tuple(elements)

    def freeze_blocks(self) -> tuple[Block, ...]:
        return tuple(
            frozen_record(
                Block, {"start": span[0], "end": span[1], "words": words, "link_words": linked}
            )
            for span, words, linked in zip(
                self.block_spans, self.block_words, self.block_link_words, strict=False
            )
            if words
        )


BLOCK_TAGS = frozenset(
    [
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "figcaption",
        "caption",
    ]
)
"""HTML elements whose text forms one readable block, for the density ratio."""
