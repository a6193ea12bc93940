"""Hostile articles for the output tests: strategies that build them, a writer that saves
them, and the check that rendered Markdown stayed inert (shared by check and report tests).

Everything in an article is attacker-controlled once a pull request can add one: its file
name, its front-matter title, its URLs and its link text. The strings below are the ones
each output's reader treats specially: the GitHub runner (`::`, `%`, `:`, `,`, CR, LF,
`##[`), terminals (ESC, C1 CSI, bidi overrides), URIs (`%`, `#`, `?`, space), Markdown and
HTML (`<script>`, `|`, `![`, `-->`, `]]>`, quotes, `javascript:`, entities), and what GitHub
turns into notifications or links in rendered Markdown (`@name`, `@org/team`, `#123`,
`GH-42`, `$math$`).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from tempfile import TemporaryDirectory

import pyromark
from hypothesis import strategies as st

TOKENS = (
    "\n",
    "\r",
    "\r\n",
    "%0A",
    "%0D",
    "%25",
    "%",
    ":",
    ",",
    "::error::forged",
    "::set-output name=x::y",
    "::add-mask::secret",
    "::stop-commands::tok",
    "##[error]legacy",
    '"',
    "'",
    "`",
    "|",
    "\\",
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "]]>",
    "-->",
    "<!--",
    "&lt;",
    "&amp;",
    "javascript:alert(1)",
    "![px](https://t.example/p.gif)",
    "[click](https://t.example/)",
    "www.tracker.example",
    "https://t.example/x",
    "#",
    "?",
    " ",
    "\t",
    "\x1b[2J",
    "\x1b]8;;https://t.example/\x07",
    "\x9b31m",
    "\x85",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "\x1c",
    "\x7f",
    "@octocat",
    "@org/team",
    "#123",
    "GH-42",
    "owner/repo#7",
    "user@example.com",
    "$x^2$",
    "&#64;",
    "&lt;b&gt;",
    "😀",
    "x" * 300,
)
"""The special strings; `hostile_text` mixes them with arbitrary text."""

hostile_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), min_size=1, max_size=6
).map("".join)
"""Text made of hostile tokens and arbitrary characters (never empty)."""


@st.composite
def file_names(draw: st.DrawFn, suffix: str) -> bytes:
    """A file name as bytes: hostile text, possibly invalid UTF-8, always a valid name.

    Linux names can hold any byte but `/` and NUL and at most 255 bytes; the byte `\\xff`
    makes the name undecodable, which Python reports through lone surrogates (PEP 383).
    """
    text = draw(hostile_text).replace("/", "").replace("\x00", "")
    raw = text.encode("utf-8")[:150]
    if draw(st.booleans()):
        raw += b"\xff"
    return raw + suffix.encode()


@dataclass(frozen=True)
class Article:
    """One article to write: its name (bytes) and the hostile values placed in it."""

    name: bytes
    title: str
    tag: str
    """Lands in Amazon URLs' `tag=` (the affiliate ID) and a pixel's query."""
    link_text: str
    html: bool
    ascii_title: bool
    """Write the title with JSON escapes only (YAML accepts them) or raw."""
    broken_utf8: bool
    """Append bytes that are not UTF-8, so the file also gets a parse-error."""

    def content(self) -> bytes:
        """The article's bytes: the hostile values placed raw, escaped and in attributes."""
        tag_attr, text_html = html.escape(self.tag), html.escape(self.link_text)
        links = (
            f'<a href="https://www.amazon.com/dp/B01?tag={tag_attr}">{text_html}</a>\n'
            f'<img src="https://www.facebook.com/tr?id={tag_attr}" width="1" height="1">\n'
        )
        if self.html:
            body = (
                f"<!DOCTYPE html><html><head><title>{html.escape(self.title)}</title></head>"
                f"<body><h1>{self.title}</h1>\n<p>{self.link_text}</p>\n{links}</body></html>\n"
            )
        else:
            title = json.dumps(self.title, ensure_ascii=self.ascii_title)
            body = (
                f"---\ntitle: {title}\n---\n\n# {self.title}\n\n"
                f"Shop [{self.link_text}](https://www.amazon.com/dp/B00?tag={self.tag}) now.\n\n"
                f"{links}"
            )
        data = body.encode("utf-8")
        return data + b"\xff\xfe tail\n" if self.broken_utf8 else data


@st.composite
def articles(draw: st.DrawFn) -> Article:
    is_html = draw(st.booleans())
    return Article(
        name=draw(file_names(".html" if is_html else ".md")),
        title=draw(hostile_text),
        tag=draw(hostile_text),
        link_text=draw(hostile_text),
        html=is_html,
        ascii_title=draw(st.booleans()),
        broken_utf8=draw(st.integers(0, 9)) == 0,
    )


sites = st.lists(articles(), min_size=1, max_size=3)
"""One to three hostile articles, linted together."""


def write_site(directory: Path, site: list[Article]) -> list[bytes]:
    """Write the articles into `directory` (bytes paths: names may be undecodable); return
    their relative paths. A counter before the suffix keeps names unique."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for index, article in enumerate(site):
        stem, dot, suffix = article.name.rpartition(b".")
        name = stem + b"-%d" % index + dot + suffix
        with open(os.path.join(os.fsencode(directory), name), "wb") as handle:
            handle.write(article.content())
        written.append(os.fsencode(directory.name) + b"/" + name)
    return written


def shown(path: bytes) -> str:
    """How adlint shows a relative path: bytes that are not UTF-8 become `\\xNN` (like
    `ls -b`), so every output can encode it; everything else is kept exactly."""
    return path.decode("utf-8", "backslashreplace")


@contextmanager
def workspace(**environment: str) -> Iterator[Path]:
    """A fresh directory as the working directory (display paths are relative to it), with
    extra environment variables; both restored afterwards. Hypothesis runs many examples per
    test, so pytest's function-scoped tmp_path and monkeypatch cannot be used here."""
    saved = {key: os.environ.get(key) for key in environment}
    with TemporaryDirectory() as temporary, chdir(temporary):
        os.environ.update(environment)
        try:
            yield Path(temporary)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


class Markup(HTMLParser):
    """The elements, prose and table shapes of rendered Markdown.

    Text inside `<code>` is kept apart: GitHub never autolinks inside a code span, so a URL
    there is inert text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.prose: list[str] = []
        self.code: list[str] = []
        """The text of each code span."""
        self.tables: list[list[int]] = []
        """Per table, the number of cells in each row."""
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "code":
            self._in_code += 1
            self.code.append("")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code[-1] += data
        else:
            self.prose.append(data)


AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|(?:^|[\s*_~(])www\.")
"""What GitHub's autolink extension turns into a link to a web page: a URL scheme, or `www.`
at a word start (pyromark does not autolink, so the test looks for them in the text)."""
REFERENCE = re.compile(r"@[A-Za-z0-9]|#[0-9]|\bGH-[0-9]", re.IGNORECASE)
"""What GitHub turns into a notification or a link to an issue when it meets it in rendered
text outside code: `@name` and `@org/team`, `#123` (`owner/repo#123` too), `GH-123`. A
zero-width space after the `@`, `#` or `GH-` breaks each; a backslash does not (GitHub
finds them in the rendered text, after Markdown has consumed it)."""


def rendered(markdown: str) -> Markup:
    """Markdown rendered as GitHub does (GFM tables, inline HTML passed through), parsed."""
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    markup = Markup()
    markup.feed(pyromark.html(markdown, options=options))
    return markup


def assert_inert_markdown(markdown: str, allowed: set[str]) -> None:
    """Check that hostile text created no element outside `allowed` (no `<img>`, `<a>`,
    `<script>`), no autolink, mention or issue reference in prose, no extra table cell (an
    unescaped `|` would add one), and that the Markdown holds no control or format
    character (ESC, CR, bidi overrides, zero-width characters) but line feeds."""
    markup = rendered(markdown)
    assert set(markup.tags) <= allowed, markdown
    prose = "\n".join(markup.prose)
    assert not AUTOLINK.search(prose), markdown
    assert not REFERENCE.search(prose), prose
    for rows in markup.tables:
        assert len(set(rows)) == 1, markdown
    unprintable = {c for c in markdown if c != "\n" and not c.isprintable()}
    assert not unprintable, sorted(unprintable)
