"""An element's URLs: the primary one (`Element.url`) and the others (`Element.more_urls`).

A lazy loader's placeholder in `src` (`data:`, `about:blank`) gives way to the real URL in
`data-src`; every other URL attribute (a different `data-src`, a `<video>`'s `poster`) and
`<link imagesrcset>` candidates are further URLs of the element, each at its own position,
the same URL written twice being one. Expected offsets come from the text (str.index), and
lines and columns are counted here, independently of Document.position.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.document import Element
from adlint.parse import parse_text
from tests.core.urlhits import FRONT, hits, line_column

GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def only(text: str, tag: str, path: str = "page.html") -> Element:
    [element] = [e for e in parse_text(path, text).elements if e.tag == tag]
    return element


def more(element: Element) -> list[tuple[str, int, int]]:
    return [(other.url, other.start, other.end) for other in element.more_urls]


def span(text: str, url: str, start: int = 0) -> tuple[str, int, int]:
    at = text.index(url, start)
    return url, at, at + len(url)


# --- the primary URL skips placeholders -------------------------------------------------


@pytest.mark.parametrize("lazy", ["data-src", "data-lazy-src"])
def test_data_placeholder_gives_way_to_the_lazy_url(lazy: str) -> None:
    real = "https://px.example/p.gif"
    text = f'<img src="{GIF}" {lazy}="{real}" width="1" height="1">\n'
    img = only(text, "img")
    assert (img.url, img.url_start, img.url_end) == span(text, real)
    assert img.more_urls == ()  # the placeholder is no URL worth a rule or a check


def test_about_blank_frame_gives_way_to_its_data_src() -> None:
    real = "https://www.youtube.com/embed/abc"
    text = f'<iframe src=" about:blank " data-src="{real}"></iframe>\n'
    iframe = only(text, "iframe")
    assert (iframe.url, iframe.url_start) == (real, text.index(real))
    assert iframe.more_urls == ()


def test_placeholder_without_a_real_lazy_url_stays_the_url() -> None:
    text = f'<img src="{GIF}" data-src="data:image/png;base64,AA==">\n'
    img = only(text, "img")
    assert (img.url, img.url_start) == (GIF, text.index(GIF))
    assert more(img) == [span(text, "data:image/png;base64,AA==")]


def test_placeholder_in_video_src_is_kept_beside_the_poster() -> None:
    # `poster` is no lazy loader's attribute: it does not replace the video's source.
    text = f'<video src="{GIF}" poster="/p.jpg"></video>\n'
    video = only(text, "video")
    assert video.url == GIF and more(video) == [span(text, "/p.jpg")]


def test_data_src_after_data_placeholder_wins_over_a_later_data_lazy_src() -> None:
    text = f'<img src="{GIF}" data-lazy-src="/b.png" data-src="/a.png">\n'
    img = only(text, "img")
    # URL_ATTRIBUTES order decides (data-src first), not the order written.
    assert (img.url, img.url_start) == ("/a.png", text.index("/a.png"))
    assert more(img) == [span(text, "/b.png")]


# --- every other URL attribute is a further URL ------------------------------------------


def test_real_src_and_different_data_src_are_both_urls() -> None:
    real = "https://px.example/p.gif"
    text = f'<img src="/placeholder.svg" data-src="{real}">\n'
    img = only(text, "img")
    assert (img.url, img.url_start) == ("/placeholder.svg", text.index("/placeholder.svg"))
    assert more(img) == [span(text, real)]


def test_same_url_in_src_and_data_src_is_one_url() -> None:
    url = "https://cdn.example/a.png"
    text = f'<img src="{url}" data-src=" {url}">\n'
    img = only(text, "img")
    assert (img.url, img.url_start) == (url, text.index(url))
    assert img.more_urls == ()


def test_video_poster_is_a_url_in_source_order() -> None:
    text = '<video poster="/p.jpg" src="/v.mp4"></video>\n'
    video = only(text, "video")
    assert (video.url, video.url_start) == ("/v.mp4", text.index("/v.mp4"))
    assert more(video) == [span(text, "/p.jpg")]
    assert [view.url for view in video.url_views()] == ["/v.mp4", "/p.jpg"]


def test_link_imagesrcset_candidates_are_urls_of_the_link() -> None:
    text = (
        '<link rel="preload" as="image" href="/hero.png"'
        ' imagesrcset="/hero.png 1x, https://cdn.example/hero2.png 2x">\n'
    )
    link = only(text, "link")
    assert link.url == "/hero.png"
    assert more(link) == [
        span(text, "/hero.png", text.index("imagesrcset")),
        span(text, "https://cdn.example/hero2.png"),
    ]


def test_lazy_and_srcset_urls_merge_in_source_order() -> None:
    text = '<img srcset="/s.png 2x" src="/ph.svg" data-src="/real.png">\n'
    img = only(text, "img")
    assert img.url == "/ph.svg"
    assert more(img) == [span(text, "/s.png"), span(text, "/real.png")]


def test_markdown_embedded_html_views_have_their_lines_and_columns() -> None:
    real = "https://cdn.example/cam.jpg"
    text = (
        FRONT + "Intro paragraph.\n\n"
        f'<img src="{GIF}"\n     data-src="{real}"\n     alt="camera">\n\n'
        'A clip: <video src="/clip.mp4"\n  poster="/clip.jpg"></video>\n'
    )
    document = parse_text("post.md", text)
    img, video = (e for e in document.elements if e.tag in ("img", "video"))
    assert document.position(img.url_start) == line_column(text, text.index(real))
    assert line_column(text, text.index(real)) == (9, 16)  # front matter lines counted
    [poster] = video.more_urls
    assert document.position(poster.start) == line_column(text, text.index("/clip.jpg"))
    assert document.position(video.url_start) == line_column(text, text.index("/clip.mp4"))


# --- the rules ---------------------------------------------------------------------------


def found(text: str, rule: str, path: str = "page.html") -> list[tuple[int, int, str]]:
    return hits(text, rule, path, "host")


def test_lazy_tracking_pixel_is_flagged_with_the_real_host() -> None:
    text = (
        FRONT + "Text.\n\n"
        f'<img src="{GIF}" data-src="https://px.example/p.gif" width="1" height="1">\n'
    )
    tag_at = text.index("<img")
    assert found(text, "tracking-pixel", "post.md") == [(*line_column(text, tag_at), "px.example")]


def test_pixel_behind_a_first_party_placeholder_is_flagged_once() -> None:
    text = (
        '<p><img src="/placeholder.svg" data-src="https://px.example/p.gif"'
        ' data-lazy-src="https://px.example/p.gif?2" style="display:none"></p>\n'
    )
    assert found(text, "tracking-pixel") == [(1, text.index("<img") + 1, "px.example")]


def test_url_rule_reports_the_lazy_url_at_the_data_src_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".adlint.yaml").write_text(
        "extends: []\nrules:\n  tracker-url:\n    kind: match\n    severity: error\n"
        "    message: 'Tracker {url}'\n    select: {host: [px.example]}\n"
    )
    pixel, poster, twice = (
        "https://px.example/p.gif",
        "https://px.example/poster.jpg",
        "https://px.example/same.gif",
    )
    text = (
        FRONT + f'<img src="{GIF}" data-src="{pixel}">\n'
        f'<video src="/v.mp4"\n  poster="{poster}"></video>\n'
        f'<img src="{twice}" data-src="{twice}">\n'
    )
    (tmp_path / "post.md").write_text(text)
    assert main(["check", "--no-cache", "--format", "json", "post.md"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["line"], f["column"], f["data"]["url"]) for f in findings] == [
        (*line_column(text, text.index(url)), url) for url in (pixel, poster, twice)
    ]
