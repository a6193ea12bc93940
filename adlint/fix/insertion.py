"""Insert a paragraph (a disclosure) where it changes nothing else in the article.

The paragraph goes just before the top-level block that holds the finding (a paragraph,
list, table, blockquote, HTML block; in HTML the outermost non-container element, see
parse/outline.py), never inside one: text put before the line of a link can land inside a
multi-line tag, between a table's rows, in the middle of a list or in a blockquote as a lazy
continuation line. In Markdown the paragraph has a blank line on either side, so it can
neither continue the block before it nor join the block after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adlint.parse.source import normalise_newlines

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.fix.actions import InsertText


def newline_of(text: str) -> str:
    """The file's own line break, which inserted text uses too."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"


def insertion(action: InsertText, document: Document, anchor: int) -> tuple[int, str]:
    """Where to insert and what: `anchor` is the offset of the element the finding is on."""
    if document.format == "html":
        return _html(action, document, anchor)
    return _markdown(action, document, anchor)


def _markdown(action: InsertText, document: Document, anchor: int) -> tuple[int, str]:
    newline = newline_of(document.text)
    if action.where == "after_front_matter":
        position = document.body_start
    else:
        block = document.top_block_start(anchor)
        position = document.line_start(anchor if block is None else block)
    before = newline if _after_text(document, position) else ""
    return position, before + _lines(action.text, newline) + newline + newline


def _after_text(document: Document, position: int) -> bool:
    """Whether the line before `position` has text (a paragraph the insertion would join)."""
    if position <= document.body_start:
        return False
    text = document.text
    end = position - (2 if text[position - 2 : position] == "\r\n" else 1)
    return bool(text[document.line_start(end) : end].strip())


def _html(action: InsertText, document: Document, anchor: int) -> tuple[int, str]:
    from adlint.parse.markdown import render_html  # loads the renderer for HTML fixes only

    newline = newline_of(document.text)
    blocks = document.top_blocks
    if action.where == "after_front_matter" and blocks:
        position = blocks[0]  # an HTML page has no front matter: the top of its content
    else:
        block = document.top_block_start(anchor)
        position = anchor if block is None else block
    markup = _lines(action.html or render_html(action.text), newline)
    indent = document.text[document.line_start(position) : position]
    if indent.strip():
        return position, markup  # the block starts mid-line: so does the paragraph
    return position, markup + newline + indent


def _lines(snippet: str, newline: str) -> str:
    """The snippet without trailing line breaks, its own line breaks the file's."""
    return normalise_newlines(snippet.rstrip("\r\n")).replace("\n", newline)
