"""Exact positions: link findings start at the URL, element findings at the tag's `<`."""

from __future__ import annotations

import pyromark
import pytest

from adlint.engine import lint_text
from adlint.parse.markdown import _raw_destination, _unescape_destination
from adlint.policy import load_default_policy

POLICY = load_default_policy()


def findings(text: str, rule: str, path: str = "article.md") -> list[tuple[int, int, int, int]]:
    return [
        (f.line, f.column, f.end_line, f.end_column)
        for f in lint_text(text, POLICY, path=path)
        if f.rule == rule
    ]


def test_impact_vanity_host_yields_network_and_partner_id_at_the_url():
    src = '<a href="https://brand.sjv.io/c/123456/789/1011">deal</a>\n'
    [hit] = [f for f in lint_text(src, POLICY) if f.rule == "affiliate-link"]
    assert (hit.line, hit.column, hit.end_line, hit.end_column) == (1, 10, 1, 48)
    assert hit.data["network"] == "Impact" and hit.data["affiliate_id"] == "123456"


def test_markdown_link_finding_starts_at_the_destination():
    src = "Buy it [here](https://www.amazon.com/dp/B00?tag=site-20).\n"
    assert findings(src, "affiliate-link") == [(1, 15, 1, 56)]


def test_front_matter_lines_are_counted():
    src = "---\ntitle: x\ntags: [a, b]\n---\n\n[deal](https://amzn.to/3abc)\n"
    assert findings(src, "affiliate-link") == [(6, 8, 6, 28)]


def test_crlf_file_counts_lines_and_columns_right():
    src = "---\r\ntitle: x\r\n---\r\n\r\nText [deal](https://amzn.to/3abc)\r\n"
    assert findings(src, "affiliate-link") == [(5, 13, 5, 33)]


def test_lone_cr_newlines_count_as_line_breaks():
    src = "line one\rline two\r[deal](https://amzn.to/3abc)\r"
    assert findings(src, "affiliate-link") == [(3, 8, 3, 28)]


def test_an_html_block_ends_at_a_blank_line_of_lone_crs():
    """CommonMark ends a line at a lone CR; pulldown-cmark alone ran the <div> block on to
    the end of the file, and the link after it was never seen."""
    src = '<div class="box">\r<a href="https://amzn.to/1aaa">x</a>\r</div>\r\r[deal](https://amzn.to/2bbb)\r'
    first, second = "https://amzn.to/1aaa", "https://amzn.to/2bbb"
    assert src.split("\r")[1].index(first) == 9 and src.split("\r")[4].index(second) == 7
    assert findings(src, "affiliate-link") == [
        (2, 10, 2, 10 + len(first)),
        (5, 8, 5, 8 + len(second)),
    ]


def test_element_finding_starts_at_the_tag():
    src = 'Intro.\n\n  <img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'
    assert findings(src, "tracking-pixel") == [(3, 3, 3, 62)]


def test_multiline_tag_spans_its_lines():
    src = (
        '<ins class="adsbygoogle"\n'
        '     data-ad-client="ca-pub-1111222233334444"\n'
        '     data-ad-slot="1"></ins>\n'
    )
    assert findings(src, "ad-unit") == [(1, 1, 3, 23)]


def test_links_in_code_fences_and_code_spans_are_not_links():
    src = (
        "```\n[a](https://amzn.to/1)\n```\n\n"
        "    [b](https://amzn.to/2)\n\n"
        'Use `[c](https://amzn.to/3)` or ``<a href="https://amzn.to/4">``.\n'
    )
    assert findings(src, "affiliate-link") == []


def test_non_ascii_before_a_link_counts_code_points():
    src = "Café ☕ déjà vu [deal](https://amzn.to/3abc)\n"
    assert findings(src, "affiliate-link") == [(1, 23, 1, 43)]


def test_tab_counts_as_one_column():
    src = "Go\t<a href='https://amzn.to/3abc'>x</a>\n"
    assert findings(src, "affiliate-link") == [(1, 13, 1, 33)]


def test_tab_indented_line_is_code_not_a_link():
    src = "\t<a href='https://amzn.to/3abc'>x</a>\n"
    assert findings(src, "affiliate-link") == []


def test_entity_in_href_points_at_the_raw_text():
    src = '<a href="https://www.amazon.com/dp/B1?a=1&amp;tag=me-20">x</a>\n'
    [hit] = [f for f in lint_text(src, POLICY) if f.rule == "affiliate-link"]
    assert (hit.column, hit.end_column) == (10, 56)
    assert hit.data["affiliate_id"] == "me-20"


def test_reference_link_points_at_its_definition():
    src = "See [the deal][d].\n\n[d]: https://amzn.to/3abc\n"
    assert findings(src, "affiliate-link") == [(3, 6, 3, 26)]


def test_angle_bracket_destination_excludes_the_brackets():
    src = "[deal](<https://amzn.to/3abc>)\n"
    assert findings(src, "affiliate-link") == [(1, 9, 1, 29)]


@pytest.mark.parametrize(
    ("rest", "destination"),
    [
        ("https://x.example/3abc)", "https://x.example/3abc"),
        ('https://x.example/3abc "t")', "https://x.example/3abc"),
        ("https://x.example/3abc\t't')", "https://x.example/3abc"),
        ("https://x.example/a(b)c)", "https://x.example/a(b)c"),
        ('https://x.example/a(b(c))d "t")', "https://x.example/a(b(c))d"),
        ("a\\(b) c", "a\\(b"),  # an escaped `(` opens nothing: the `)` ends it
        ("a\\)b) c", "a\\)b"),
        ("a\\ b)", "a\\"),  # a backslash escapes punctuation only, not a space
        ("a\u00a0b)", "a"),
        ("a(b", "a(b"),
        ("a)(b", "a"),
        ("", ""),
    ],
)
def test_raw_destination_balances_parentheses_and_stops_at_space(rest, destination):
    assert _raw_destination(rest) == destination


@pytest.mark.parametrize(
    "rest", ["a\\(b) c)", "a\\(b))", "a(b\\)c))", "a\\)b)", "a((b)\\(c)d)", "a\\\\(b))"]
)
def test_raw_destination_agrees_with_the_parser(rest: str):
    """pulldown-cmark itself decides what the destination is; ours must read the same."""
    [link] = [
        event["Start"]["Link"]
        for event, _ in pyromark.events_with_range(f"[x]({rest}")
        if isinstance(event, dict)
        and isinstance(event.get("Start"), dict)
        and "Link" in event["Start"]
    ]
    assert _unescape_destination(_raw_destination(rest)) == link["dest_url"]


def test_autolink_points_inside_the_angle_brackets():
    src = "Go: <https://amzn.to/3abc>\n"
    assert findings(src, "affiliate-link") == [(1, 6, 1, 26)]


def test_bare_url_is_a_link_like_on_github():
    src = "Go to https://amzn.to/3abc.\n"
    assert findings(src, "affiliate-link") == [(1, 7, 1, 27)]


def test_same_url_twice_gives_two_positions():
    src = "[a](https://amzn.to/3abc) and [b](https://amzn.to/3abc)\n"
    assert findings(src, "affiliate-link") == [(1, 5, 1, 25), (1, 35, 1, 55)]


def test_html_file_positions():
    src = '<!doctype html>\n<html><body>\n<p>Hi <a href="https://amzn.to/3abc">x</a></p>\n'
    assert findings(src, "affiliate-link", path="page.html") == [(3, 16, 3, 36)]


@pytest.mark.parametrize("bom", ["\ufeff"])
def test_bom_is_not_counted_as_a_column(bom: str, tmp_path):
    from adlint.discover import Target
    from adlint.engine import lint_target

    path = tmp_path / "bom.md"
    path.write_bytes((bom + "[deal](https://amzn.to/3abc)\n").encode("utf-8"))
    result = [f for f in lint_target(Target(path, "bom.md"), POLICY) if f.rule == "affiliate-link"]
    assert [(f.line, f.column) for f in result] == [(1, 8)]


def test_spaces_around_an_attribute_url_are_not_part_of_it():
    src = '<a href=" JavaScript:void(0) ">x</a>\n<a href="\n  https://amzn.to/3abc\n">y</a>\n'
    assert findings(src, "javascript-link") == [(1, 11, 1, 29)]
    assert findings(src, "affiliate-link") == [(3, 3, 3, 23)]
    # Nor of the URL the message shows: it used to carry them, line breaks included.
    found = {f.rule: f for f in lint_text(src, POLICY)}
    assert found["affiliate-link"].data["url"] == "https://amzn.to/3abc"
    assert found["affiliate-link"].message.endswith(": https://amzn.to/3abc")
    assert found["javascript-link"].data["url"] == "JavaScript:void(0)"


@pytest.mark.parametrize(
    ("destination", "length"),
    [
        # 41 characters as the URL reads, plus the backslashes as written
        ("https://www.amazon.com/dp/B0\\(X\\)?tag=me-20", 43),
        ("https://www.amazon.com/dp/B0\\)X?tag=me-20", 41),  # an unbalanced, escaped `)`
        ("https://www.amazon.com/dp/(B0)?tag=me-20", 40),
    ],
)
def test_escaped_parentheses_in_a_destination_keep_the_url_span(destination: str, length: int):
    assert findings(f"[x]({destination}) end\n", "affiliate-link") == [(1, 5, 1, 5 + length)]


AMAZON_URL = "https://www.amazon.com/dp/B0?tag=me-20"


@pytest.mark.parametrize(
    ("link", "column"),
    [
        # the destination follows the `](` that ends the text, wherever else `](` appears
        (f"[a]({AMAZON_URL})", 5),
        (f'[a]({AMAZON_URL} "the ]( in a title")', 5),
        (f"[`](`]({AMAZON_URL})", 8),  # `](` in a code span of the text
        (f"[a\\](b]({AMAZON_URL})", 9),  # an escaped bracket in the text
        (f"[![img](i.png)]({AMAZON_URL})", 17),  # an image as the text
        (f"[]({AMAZON_URL})", 4),  # no text at all
        (f"[*a* <b>x</b>\n]( {AMAZON_URL} )", 4),  # a soft break ends the text; spaces
        (f"[a]({AMAZON_URL} (a title\\(]\\())", 5),  # escaped parentheses in a (title)
    ],
)
def test_inline_destination_after_the_link_text(link: str, column: int):
    [event] = [
        e
        for e, _ in pyromark.events_with_range(link, options=pyromark.Options.ENABLE_TABLES)
        if isinstance(e, dict)
        and "Start" in e
        and isinstance(e["Start"], dict)
        and next(iter(e["Start"])) in ("Link", "Image")
        and next(iter(e["Start"].values()))["dest_url"] == AMAZON_URL
    ]
    assert event  # the parser reads the same destination
    rows = [
        (f.line, f.column, f.end_column)
        for f in lint_text(link + "\n", POLICY)
        if f.rule == "affiliate-link"
    ]
    line = link.count("\n") + 1
    assert rows == [(line, column, column + len(AMAZON_URL))]
