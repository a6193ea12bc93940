"""Turn an article's bytes into a Document; the only place that knows the parser libraries.

Both parsers report offsets into the text exactly as decoded (whatever its newlines), so
Document offsets index the original text with no translation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from adlint.document import Document, Problem, line_starts_of
from adlint.errors import ParseError
from adlint.parse.builder import DocumentBuilder
from adlint.parse.frontmatter import blank_front_matter, split_front_matter
from adlint.parse.html import HtmlFeeder
from adlint.parse.markdown import MarkdownWalker
from adlint.parse.outline import HtmlOutline
from adlint.parse.source import decode_with_offset

MARKDOWN_SUFFIXES = frozenset((".md", ".markdown", ".mdx", ".mkd", ".mdown"))
HTML_SUFFIXES = frozenset((".html", ".htm", ".xhtml"))


def sniff_format(path: str, text: str) -> str:
    """Pick `markdown` or `html` from the suffix, else from the content.

    Files named explicitly may have any extension (the seed corpus is `.txt`): front matter
    or anything that does not open like an HTML document is treated as Markdown, which is a
    superset that still parses embedded HTML.
    """
    suffix = PurePath(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = text[:1024].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return "html"
    return "markdown"


def parse_bytes(path: str, data: bytes, *, format: str | None = None) -> Document:
    """Decode and parse; raises ParseError only when nothing at all can be linted."""
    text, problem, start = decode_with_offset(data)
    document = parse_text(path, text, format=format)
    if problem:
        document = replace(document, problems=(Problem(start, problem), *document.problems))
    return document


MAX_LINES = 2_000_000
"""Lines one document may have: every line start is kept (as a Python int, 36 bytes with
its slot), so a 64 MB file of newlines would need 2.3 GB before any parsing."""


def line_breaks(text: str) -> int:
    """How many line breaks: `\n`, `\r\n` and lone `\r` (counted in C)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


_LONE_CR = re.compile(r"\r(?!\n)")


def lone_cr_as_lf(text: str) -> str:
    """A lone `\\r` written as `\\n`, at the same offset. CommonMark ends a line at either,
    and so do adlint's line numbers, but pulldown-cmark does not see a lone `\\r` as a line
    end: in a file saved with old Mac line ends, an HTML block then ran to the end of the
    file, and every link after it was lost."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def parse_text(
    path: str, text: str, *, format: str | None = None, outline: bool = False
) -> Document:
    """Parse decoded text into a Document whose offsets index `text` exactly.

    `outline` also finds an HTML page's top-level blocks (Markdown reports its own for
    free): only `adlint fix` needs them, and deriving them costs ~6% of an HTML parse.
    """
    if len(text) >= MAX_LINES and line_breaks(text) >= MAX_LINES:
        raise ParseError(f"more than {MAX_LINES:,} lines: too long to lint, not linted")
    format = format or sniff_format(path, text)
    builder = DocumentBuilder()
    front_matter: dict[str, object] = {}
    body_start = 0
    problems: list[Problem] = []
    if format == "markdown":
        front = split_front_matter(text)
        front_matter, body_start = front.data, front.body_start
        if front.problem:
            problems.append(Problem(front.problem_offset, front.problem))
        walker = MarkdownWalker(lone_cr_as_lf(blank_front_matter(text, body_start)), builder)
        walker.walk()
        top_blocks = walker.top_blocks
    else:
        blocks = HtmlOutline() if outline else None
        HtmlFeeder(builder, blocks).feed(text, 0)
        top_blocks = blocks.starts if blocks is not None else []
    return Document(
        path=path,
        text=text,
        format=format,
        elements=builder.freeze_elements(),
        comments=tuple(builder.comments),
        blocks=builder.freeze_blocks(),
        runs=tuple(builder.runs),
        front_matter=front_matter,
        body_start=body_start,
        top_blocks=tuple(top_blocks),
        problems=tuple(problems),
        line_starts=line_starts_of(text),
        run_words=tuple(builder.run_words),
    )
