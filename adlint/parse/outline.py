"""Where an HTML page's top-level blocks begin: the places a paragraph of its own can go.

`adlint fix` inserts a disclosure just before the block that holds the first affiliate link.
Markdown has top-level blocks the parser reports (paragraph, list, table, blockquote, HTML
block); an HTML page has none, so the tokenizer derives them. Containers (`body`, `article`,
`div`, ...) only group blocks, so a page's top-level blocks are the outermost elements that
are not containers (a `<p>`, a `<ul>` but never one of its `<li>`, a `<table>`) and each run of
inline content that sits directly in a container (`<div>See <a ...>`). A paragraph inserted
at the start of one of those leaves every list, table and paragraph whole.
"""

from __future__ import annotations

CONTAINER_TAGS = frozenset(
    (
        "html",
        "body",
        "main",
        "article",
        "section",
        "div",
        "aside",
        "header",
        "footer",
        "nav",
        "form",
        "center",
        "search",
    )
)
"""Elements that group blocks: a paragraph may go among their children."""

BLOCK_LEVEL_TAGS = frozenset(
    (
        "p",
        *(f"h{level}" for level in range(1, 7)),
        "ul",
        "ol",
        "dl",
        "menu",
        "table",
        "blockquote",
        "pre",
        "figure",
        "hr",
        "details",
        "dialog",
        "address",
        "fieldset",
        "hgroup",
    )
)
"""Elements that are a block as a whole; anything else in a container is inline content."""

METADATA_TAGS = frozenset(("head", "title", "meta", "link", "base", "script", "style", "template"))
"""Elements that are no content: they neither begin a block nor end a run of inline content."""


class HtmlOutline:
    """Record top-level block starts from the tags and text the tokenizer meets at container
    level (inside containers only, in no block); `starts` comes out ascending."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.in_run = False
        """True while inline content directly in a container goes on (its start recorded)."""

    def tag(self, tag: str, start: int, *, closing: bool) -> None:
        """A start tag about to open, or an end tag just closed, at container level."""
        if tag in METADATA_TAGS:
            return
        if tag in CONTAINER_TAGS or tag in BLOCK_LEVEL_TAGS:
            self.in_run = False
            if tag in BLOCK_LEVEL_TAGS and not closing:
                self.starts.append(start)
        elif not closing:
            self.text(start)

    def text(self, start: int) -> None:
        """Visible text (or an inline tag) at container level, starting at `start`."""
        if not self.in_run:
            self.starts.append(start)
            self.in_run = True
