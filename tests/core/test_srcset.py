"""srcset: each image candidate is a URL of its `<img>` or `<source>`, at its own position.

The parser follows the WHATWG "parse a srcset attribute" algorithm; the rules see each
candidate (URL keys test it, `at: url` reports it where it is written, `at: element`
reports the element once). Expected offsets come from the text itself (str.index), and
lines and columns are counted here, independently of Document.position.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.parse import parse_text
from adlint.parse.srcset import candidates
from tests.core.urlhits import FRONT, hits, line_column


def spans(value: str) -> list[tuple[str, int, int]]:
    return [(c.url, c.start, c.end) for c in candidates(value)]


def span_of(value: str, url: str, start: int = 0) -> tuple[str, int, int]:
    at = value.index(url, start)
    return url, at, at + len(url)


# --- the srcset grammar ------------------------------------------------------------------


def test_candidates_split_at_commas_and_whitespace_with_their_offsets() -> None:
    value = "a.png 1x,  https://t.example/p.gif 2x"
    assert spans(value) == [span_of(value, "a.png"), span_of(value, "https://t.example/p.gif")]


def test_url_keeps_inner_commas_and_drops_trailing_ones() -> None:
    value = "data:image/png;base64,AA== 1x,b,c.png 2x,d.png,, e.png"
    assert [url for url, _, _ in spans(value)] == [
        "data:image/png;base64,AA==",
        "b,c.png",
        "d.png",
        "e.png",
    ]
    assert spans(value)[2] == span_of(value, "d.png")


@pytest.mark.parametrize(
    "descriptors",
    ["1x 2x", "0w", "000w", "10h", "100w 2x", "2x 100w", "-1x", "1.x", "+1x", "1x 10h", "big"],
)
def test_candidate_with_invalid_descriptors_is_dropped_and_the_next_one_kept(
    descriptors: str,
) -> None:
    value = f"bad.png {descriptors}, good.png 2x"
    assert spans(value) == [span_of(value, "good.png")]


@pytest.mark.parametrize("descriptors", ["", "1x", ".5x", "2e1x", "0x", "640w", "640w 480h"])
def test_candidate_with_valid_descriptors_is_kept(descriptors: str) -> None:
    value = f"a.png {descriptors}"
    assert spans(value) == [span_of(value, "a.png")]


def test_comma_inside_parentheses_does_not_end_the_candidate() -> None:
    # `(x, y)` is one (invalid) descriptor: split at its comma, ` y)` would be a URL.
    value = "a.png (x, y), b.png 2x"
    assert spans(value) == [span_of(value, "b.png")]


def test_character_references_are_decoded_and_spans_stay_in_the_source() -> None:
    value = "a&#44;b.png 1x&#44; https://t.example/p?a=1&amp;b=2 2x"
    written = "https://t.example/p?a=1&amp;b=2"
    start = value.index(written)
    assert spans(value) == [
        ("a,b.png", 0, len("a&#44;b.png")),
        ("https://t.example/p?a=1&b=2", start, start + len(written)),
    ]


@pytest.mark.parametrize("value", ["", "   ", ",,, ,", "\t\n"])
def test_empty_or_separator_only_srcset_has_no_candidate(value: str) -> None:
    assert candidates(value) == []


def test_hostile_srcset_values_parse_without_error() -> None:
    """Every step is a regex from a position: these finish at once (speed is measured in
    bench/, never asserted here), with the candidates the grammar gives."""
    assert len(candidates("a 1x," * 50_000)) == 50_000
    assert spans("(" * 100_000) == [("(" * 100_000, 0, 100_000)]
    assert candidates("a " + "(x " * 50_000) == []
    assert candidates("a " + "9" * 100_000 + "w") != []  # no int() of the digits
    assert candidates("a " + "1x " * 50_000) == []


# --- the document: candidates as URLs of the element ------------------------------------


def test_img_srcset_in_markdown_gives_each_candidate_its_line_and_column() -> None:
    text = (
        FRONT + "Intro.\n\n"
        '<img src="/small.png"\n     srcset="/small.png 1x, https://cdn.example/big.png 2x"'
        ' alt="camera">\n'
    )
    document = parse_text("post.md", text)
    [img] = [e for e in document.elements if e.tag == "img"]
    srcset_at = text.index('srcset="') + len('srcset="')
    big_at = text.index("https://cdn.example/big.png")
    assert img.url == "/small.png" and img.url_start == text.index("/small.png")
    assert [(c.url, c.start) for c in img.more_urls] == [
        ("/small.png", srcset_at),
        ("https://cdn.example/big.png", big_at),
    ]
    assert [document.position(c.start) for c in img.more_urls] == [
        line_column(text, srcset_at),
        line_column(text, big_at),
    ]
    assert line_column(text, big_at)[0] == 9  # front matter lines are counted


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_inline_img_in_a_markdown_paragraph_has_exact_candidate_positions(newline: str) -> None:
    text = FRONT + "Before.\n\nSee <img srcset='a.png 1x,https://cdn.example/b.png 2x'> it.\n"
    text = text.replace("\n", newline)
    document = parse_text("post.md", text)
    [img] = [e for e in document.elements if e.tag == "img"]
    expected = [text.index("a.png"), text.index("https://cdn.example/b.png")]
    assert [c.start for c in img.more_urls] == expected
    assert [document.position(c.start) for c in img.more_urls] == [
        line_column(text, offset) for offset in expected
    ]


def test_candidates_of_srcset_and_data_srcset_are_in_source_order() -> None:
    text = '<img data-srcset="/lazy.png 2x" srcset="/now.png 1x">\n'
    [img] = parse_text("page.html", text).elements
    assert [c.url for c in img.more_urls] == ["/lazy.png", "/now.png"]


def test_picture_source_has_no_url_of_its_own_only_candidates() -> None:
    text = '<picture><source srcset="a.webp 1x, b.webp 2x" type="image/webp"></picture>\n'
    [source] = [e for e in parse_text("page.html", text).elements if e.tag == "source"]
    assert source.url is None  # it used to be the whole attribute, "a.webp 1x, b.webp 2x"
    assert [(c.url, c.start) for c in source.more_urls] == [
        ("a.webp", text.index("a.webp")),
        ("b.webp", text.index("b.webp")),
    ]


def test_data_srcset_of_lazy_loaded_images_is_read_too() -> None:
    text = '<img data-src="/a.png" data-srcset="/a.png 1x, /a2.png 2x">\n'
    [img] = parse_text("page.html", text).elements
    assert [(c.url, c.start) for c in img.more_urls] == [
        ("/a.png", text.index("/a.png 1x")),
        ("/a2.png", text.index("/a2.png")),
    ]


def test_srcset_on_other_tags_is_no_url() -> None:
    [div] = parse_text("page.html", '<div srcset="https://t.example/x.gif">x</div>\n').elements
    assert div.more_urls == () and div.url is None


def test_url_views_give_the_element_once_per_url_with_its_span() -> None:
    text = '<img src="https://a.example/1.png" srcset="https://a.example/2.png 2x">\n'
    [img] = parse_text("page.html", text).elements
    views = img.url_views()
    assert [(v.url, v.url_start, v.index, v.start) for v in views] == [
        ("https://a.example/1.png", text.index("https://a.example/1.png"), img.index, 0),
        ("https://a.example/2.png", text.index("https://a.example/2.png"), img.index, 0),
    ]


# --- the rules ---------------------------------------------------------------------------


def found(text: str, rule: str, path: str = "post.md") -> list[tuple[int, int, str]]:
    return hits(text, rule, path, "url")


def test_tracking_pixel_named_only_in_srcset_is_flagged_at_the_tag() -> None:
    pixel = "https://imp.pxf.io/i/1234/567/890"
    text = FRONT + f'Text.\n\n<img width="1" height="1" alt="" srcset="{pixel} 1x">\n'
    tag_at = text.index("<img")
    assert found(text, "tracking-pixel") == [(*line_column(text, tag_at), pixel)]


def test_pixel_in_src_and_srcset_is_one_finding_per_element() -> None:
    pixel = "https://t.example/p.gif"
    text = f'<p>a <img src="{pixel}" srcset="{pixel} 1x, {pixel}?2 2x" style="display:none"></p>\n'
    assert found(text, "tracking-pixel", "page.html") == [(1, text.index("<img") + 1, pixel)]


def test_visible_image_with_only_first_party_candidates_is_no_pixel() -> None:
    text = '<img srcset="/a.png 1x, /b.png 2x" width="1" height="1">\n'
    assert found(text, "tracking-pixel", "page.html") == []


def test_url_rule_reports_each_matching_candidate_at_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".adlint.yaml").write_text(
        "extends: []\nrules:\n  cdn-image:\n    kind: match\n    severity: error\n"
        "    message: 'CDN image {url}'\n    select: {tag: [img, source], host: [cdn.example]}\n"
    )
    text = (
        FRONT + "<picture>\n"
        '  <source srcset="https://cdn.example/a.webp 1x, https://cdn.example/a2.webp 2x">\n'
        '  <img src="/a.png" srcset="/a.png 1x, https://cdn.example/a2.png 2x">\n'
        "</picture>\n"
    )
    (tmp_path / "post.md").write_text(text)
    assert main(["check", "--no-cache", "--format", "json", "post.md"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    urls = [
        "https://cdn.example/a.webp",
        "https://cdn.example/a2.webp",
        "https://cdn.example/a2.png",
    ]
    assert [(f["line"], f["column"], f["data"]["url"]) for f in findings] == [
        (*line_column(text, text.index(url + " ")), url) for url in urls
    ]


def test_affiliate_banner_with_srcset_counts_as_one_ad_unit() -> None:
    text = (
        '<p><a href="https://www.amazon.com/dp/B0C1234567?tag=site-20" rel="sponsored">'
        '<img src="/b.png" srcset="/b.png 1x, /b2.png 2x, /b3.png 3x"></a></p>\n'
    )
    assert found(text, "ad-unit", "page.html") == [(1, text.index("<img") + 1, "/b.png")]
