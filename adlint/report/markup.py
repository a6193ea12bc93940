"""HTML building blocks for the report; the one place article text becomes markup.

Every value from an article (paths, titles, URLs, IDs, snippets, messages) goes through
`text()`, which escapes `& < > " '`. URLs are shown as text and never become `href`s or
`src`s: a `javascript:` URL in an article must stay inert, and a report that links out
would make requests (and leak the reader) the moment someone clicks or prefetches.
The only links on the page are to its own fragments, built from counters, not content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

SEVERITY_TONES = {"error": "error", "warning": "warning", "info": "info"}
STATUS_TONES = {
    "allowed": ("ok", "yours"),
    "authorised": ("ok", "authorised"),
    "not-allowed": ("error", "not in allowlist"),
    "not-authorised": ("error", "not authorised"),
    "suppressed": ("muted", "suppressed"),
    "unchecked": ("muted", "no allowlist"),
}
MAX_FILES_SHOWN = 5


def text(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


def badge(label: str, tone: str) -> str:
    return f'<span class="badge sev-{text(tone)}">{text(label)}</span>'


def severity(value: str) -> str:
    return badge(value, SEVERITY_TONES.get(value, "muted"))


def status(value: str, source: str = "") -> str:
    tone, label = STATUS_TONES.get(value, ("muted", value))
    return badge(f"{label} ({source})" if source else label, tone)


def code(value: object) -> str:
    return f"<code>{text(value)}</code>"


def url(value: str) -> str:
    """A URL as inert, wrappable text."""
    return f'<span class="url mono">{text(value)}</span>' if value else ""


def files(paths: Sequence[str], limit: int = MAX_FILES_SHOWN) -> str:
    """A short list of file paths; the count of the rest when there are more."""
    items = "".join(f"<li>{code(p)}</li>" for p in paths[:limit])
    more = f"<li>and {len(paths) - limit} more</li>" if len(paths) > limit else ""
    return f'<ul class="files">{items}{more}</ul>'


@dataclass(frozen=True)
class Row:
    """A table row whose cells are markup already; `muted` greys out a suppressed finding."""

    cells: Sequence[str]
    muted: bool = False


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str] | Row],
    numeric: Iterable[int] = (),
    wide: bool = False,
) -> str:
    """A horizontally scrollable table; numeric columns right-aligned. `wide` tables keep a
    minimum width and scroll sideways on phones rather than squeeze prose into slivers."""
    right = set(numeric)

    def cls(index: int) -> str:
        return ' class="num"' if index in right else ""

    head = "".join(f'<th scope="col"{cls(i)}>{text(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        record = row if isinstance(row, Row) else Row(row)
        cells = "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(record.cells))
        body.append(f'<tr class="suppressed">{cells}</tr>' if record.muted else f"<tr>{cells}</tr>")
    opening = '<table class="wide">' if wide else "<table>"
    return (
        f'<div class="table-wrap">{opening}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def note(message: str) -> str:
    return f'<p class="note">{message}</p>'


def section(anchor: str, title: str, body: str) -> str:
    """A report section; `anchor` is a fixed name from the renderer, never article text."""
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-h">'
        f'<h2 id="{anchor}-h">{text(title)}</h2>{body}</section>'
    )


def figure(svg: str, caption: str, small: bool = False) -> str:
    if not svg:
        return ""
    cls = ' class="small"' if small else ""
    return f"<figure{cls}>{svg}<figcaption>{caption}</figcaption></figure>"
