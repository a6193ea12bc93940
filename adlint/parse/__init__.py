"""Turn an article's bytes into a Document; the only place that knows the parser libraries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from adlint.document import Document, Element, Problem, line_starts_of
from adlint.parse.builder import DocumentBuilder
from adlint.parse.frontmatter import split_front_matter
from adlint.parse.html import HtmlFeeder
from adlint.parse.markdown import MarkdownWalker
from adlint.parse.source import OffsetMap, decode, normalise_newlines

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
    text, problem = decode(data)
    document = parse_text(path, text, format=format)
    if problem:
        problems = (Problem(_first_replacement(text), problem), *document.problems)
        document = replace(document, problems=problems)
    return document


def parse_text(path: str, text: str, *, format: str | None = None) -> Document:
    """Parse decoded text into a Document whose offsets index `text` exactly."""
    format = format or sniff_format(path, text)
    normalised = normalise_newlines(text)
    builder = DocumentBuilder()
    front_data: dict[str, object] = {}
    body_lines = 0
    problems: list[Problem] = []
    if format == "markdown":
        front = split_front_matter(normalised)
        front_data, body_start = front.data, front.body_start
        if front.problem:
            problems.append(Problem(front.problem_offset, front.problem))
        # Blank the front matter but keep its newlines, so markdown-it's line numbers
        # stay the file's line numbers.
        body_lines = normalised.count("\n", 0, body_start)
        body = "\n" * body_lines + normalised[body_start:] if body_lines else normalised
        MarkdownWalker(body, builder, line_starts_of(body)).walk()
        mapping = OffsetMap(text, body)
    else:
        HtmlFeeder(builder).feed(normalised, 0)
        mapping = OffsetMap(text, normalised)
    return _freeze(path, text, format, builder, mapping, front_data, body_lines, problems)


def _freeze(
    path: str,
    text: str,
    format: str,
    builder: DocumentBuilder,
    to_original: OffsetMap,
    front_matter: dict[str, object],
    body_lines: int,
    problems: list[Problem],
) -> Document:
    """Build the Document, translating every offset back into the original text."""
    line_starts = to_original.original_starts
    if to_original.identity:
        elements = builder.freeze_elements()
        comments, runs, blocks = builder.comments, builder.runs, builder.freeze_blocks()
    else:
        elements = tuple(_move_element(e, to_original) for e in builder.freeze_elements())
        comments = [
            replace(c, start=to_original(c.start), end=to_original(c.end)) for c in builder.comments
        ]
        runs = [replace(r, start=to_original(r.start)) for r in builder.runs]
        blocks = tuple(
            replace(b, start=to_original(b.start), end=to_original(b.end))
            for b in builder.freeze_blocks()
        )
    body_start = line_starts[min(body_lines, len(line_starts) - 1)] if body_lines else 0
    return Document(
        path=path,
        text=text,
        format=format,
        elements=elements,
        comments=tuple(comments),
        blocks=blocks,
        runs=tuple(runs),
        front_matter=front_matter,
        body_start=body_start,
        problems=tuple(replace(p, start=to_original(p.start)) for p in problems),
        line_starts=line_starts,
    )


def _move_element(element: Element, to_original: OffsetMap) -> Element:
    return replace(
        element,
        start=to_original(element.start),
        end=to_original(element.end),
        url_start=None if element.url_start is None else to_original(element.url_start),
        url_end=None if element.url_end is None else to_original(element.url_end),
    )


def _first_replacement(text: str) -> int:
    return max(text.find("\ufffd"), 0)
