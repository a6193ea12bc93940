"""Property: in any article built from the constructs writers use, every link is found
once, at the 1-based line and column of its URL in the original text, and a link shown as
code is not a link.

The articles are assembled by hypothesis from Markdown and HTML pieces (inline, reference,
image and autolinks, bare URLs, `<a>` in a paragraph and in an HTML block), inside lists,
block quotes and tables, after tabs, emoji and CJK text, with or without front matter, with
`\\n`, `\\r\\n` or `\\r` line ends. Every URL is unique, so its expected place is `text.index`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adlint.engine import lint_text
from adlint.policy import load_default_policy

POLICY = load_default_policy()
NOISE = ["", "Deal: ", "Price:\t", "👍 ", "価格 ", "*Now* ", "a & b "]


@dataclass(frozen=True)
class Piece:
    """A block of Markdown; `found` are URLs it links, `inert` URLs it only shows as code."""

    text: str
    found: tuple[str, ...] = ()
    inert: tuple[str, ...] = ()
    definitions: str = ""
    """Reference definitions the piece needs at the end of the article."""


def url(n: int) -> str:
    return f"https://www.amazon.com/dp/B0{n:04d}?tag=t{n}-20"


def piece(shape: str, n: int, noise: str) -> Piece:
    link = url(n)
    inline = {
        "inline": f"{noise}[deal]({link}) today.",
        "titled": f'{noise}[deal]({link} "Title") today.',
        "angle": f"{noise}[deal](<{link}>) today.",
        "image": f"{noise}![pic]({link}) here.",
        "autolink": f"{noise}Visit <{link}> now.",
        "bare": f"{noise}Visit {link} now.",
        "html": f'{noise}Buy <a href="{link}">it</a> now.',
        "html-single": f"{noise}Buy <a class=x href='{link}'>it</a>.",
    }
    if shape in inline:
        return Piece(inline[shape], found=(link,))
    if shape == "reference":
        return Piece(f"{noise}See [deal][r{n}].", found=(link,), definitions=f"[r{n}]: {link}")
    if shape == "html-block":
        return Piece(f'<div class="box">\n<a href="{link}">{noise}deal</a>\n</div>', (link,))
    if shape == "badge":  # an image inside a link: both URLs are links
        image = f"https://images.example.net/badge{n}.png"
        return Piece(f"{noise}[![badge]({image})]({link}) ok.", found=(link,))
    if shape == "nested-brackets":
        return Piece(f"{noise}[a [b] c]({link}) and *[em]({link}#em)*.", (link, link + "#em"))
    if shape == "wrapped":  # link text and title over two lines
        return Piece(f'{noise}[deal\ntext]({link}\n"Title") end.', found=(link,))
    if shape == "parentheses":
        return Piece(f"{noise}[deal]({link}&x=(a)) end.", found=(link + "&x=(a)",))
    if shape == "html-attributes":
        return Piece(f"{noise}<A class=x\n  HREF = {link} >it</A>.", found=(link,))
    if shape == "html-comment":
        # (not first on its line: a line opening with `<!--` is an HTML block, all of it)
        return Piece(f'{noise}Was <!-- <a href="{link}">old</a> --> end.', inert=(link,))
    if shape == "script":
        return Piece(f"<script>\nvar a = '<a href=\"{link}\">';\n</script>", inert=(link,))
    if shape == "code-span":
        return Piece(f"{noise}Type `[x]({link})` to link.", inert=(link,))
    if shape == "fence":
        return Piece(f"```md\n{noise}[x]({link})\n```", inert=(link,))
    raise AssertionError(shape)


SHAPES = [
    "inline",
    "titled",
    "angle",
    "image",
    "autolink",
    "bare",
    "html",
    "html-single",
    "reference",
    "html-block",
    "code-span",
    "fence",
    "badge",
    "nested-brackets",
    "wrapped",
    "parentheses",
    "html-attributes",
    "html-comment",
    "script",
]
CONTAINERS = ["", "- ", "1. ", "> ", "- > ", "| cell | "]


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    count = draw(st.integers(1, 6))
    blocks: list[str] = []
    found: list[str] = []
    inert: list[str] = []
    definitions: list[str] = []
    for n in range(count):
        part = piece(draw(st.sampled_from(SHAPES)), n, draw(st.sampled_from(NOISE)))
        container = draw(st.sampled_from(CONTAINERS))
        text = part.text
        if container and "\n" not in text:
            text = container + text + (" |\n| --- | --- |" if container.startswith("|") else "")
        elif container in ("> ",):
            text = "\n".join("> " + line for line in text.split("\n"))
        if blocks and "\n" not in text and "\n" not in blocks[-1] and draw(st.booleans()):
            blocks[-1] += " " + text  # two links on one line: columns past the first
        else:
            blocks.append(text)
        found += part.found
        inert += part.inert
        if part.definitions:
            definitions.append(part.definitions)
    body = "\n\n".join(blocks + definitions) + "\n"
    if draw(st.booleans()):
        body = "---\ntitle: Deals\ntags: [a, b]\n---\n\n" + body
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return body.replace("\n", ending), found, inert


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, `\\r\\n` being one line end."""
    before = text[:offset]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1, (
        offset - line_start + 1
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_every_link_is_found_once_at_its_url(article: tuple[str, list[str], list[str]]) -> None:
    text, found, inert = article
    hits = [
        (f.data["url"], f.line, f.column)
        for f in lint_text(text, POLICY, path="a.md")
        if f.rule == "affiliate-link"
    ]
    expected = sorted((link, *position(text, text.index(link))) for link in found)
    assert sorted(hits) == expected
    assert not {link for link, _, _ in hits} & set(inert)


def html_piece(shape: str, n: int) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(markup, ((url, as written), ...) found, urls that must not be) for an HTML page."""
    link = url(n)
    found = {
        "double": f'<a href="{link}">it</a>',
        "single": f"<a href='{link}'>it</a>",
        "unquoted": f"<a href={link} rel=nofollow>it</a>",
        "upper": f'<A HREF="{link}">it</A>',
        "spread": f'<a\n  data-x="1"\n  href = "{link}"\n>it</a>',
        "spaced": f'<a href="  {link}\n">it</a>',
    }
    if shape in found:
        return found[shape], ((link, link),), ()
    if shape == "entity":
        written = link + "&amp;x=1"
        return f'<a href="{written}">it</a>', ((link + "&x=1", written),), ()
    inert = {
        "comment": f'<!-- <a href="{link}">old</a> -->',
        "script": f"<script>document.write('<a href=\"{link}\">');</script>",
        "style": f"<style>/* <a href='{link}'> */</style>",
        "textarea": f'<textarea><a href="{link}">x</a></textarea>',
    }
    return inert[shape], (), (link,)


HTML_SHAPES = [
    "double",
    "single",
    "unquoted",
    "upper",
    "spread",
    "spaced",
    "entity",
    "comment",
    "script",
    "style",
    "textarea",
]
HTML_CONTAINERS = [("", ""), ("<p>", "</p>"), ("<div>Deal: ", "</div>"), ("<li>👍 ", "</li>")]


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], list[str]]:
    parts: list[str] = []
    found: list[tuple[str, str]] = []
    inert: list[str] = []
    for n in range(draw(st.integers(1, 6))):
        markup, links, shown = html_piece(draw(st.sampled_from(HTML_SHAPES)), n)
        opening, closing = draw(st.sampled_from(HTML_CONTAINERS))
        parts.append(opening + markup + closing)
        found += links
        inert += shown
    separator = draw(st.sampled_from(["\n", " ", "\n\n\t"]))
    page = "<!DOCTYPE html>\n<html><head><title>Deals</title></head>\n<body>\n"
    page += separator.join(parts) + "\n</body></html>\n"
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return page.replace("\n", ending), found, inert


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_every_html_link_is_found_once_at_its_url(
    page: tuple[str, list[tuple[str, str]], list[str]],
) -> None:
    text, found, inert = page
    hits = [
        (f.data["url"], f.line, f.column)
        for f in lint_text(text, POLICY, path="a.html")
        if f.rule == "affiliate-link"
    ]
    expected = sorted((link, *position(text, text.index(written))) for link, written in found)
    assert sorted(hits) == expected
    assert not {link for link, _, _ in hits} & set(inert)
