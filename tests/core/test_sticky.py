"""The large-sticky-ad rule: an ad pinned to the screen that covers more than 30% of it.

Expected shares are worked out here from the documented model (a 360x640 px phone; sizes
fitted to its width; the larger of the ad's and the pinned element's stated sizes; full
width when neither states one), not read back from the code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.kinds.heights import Screen, pinned_box, pinned_position
from adlint.parse import parse_text

SCREEN = Screen(360, 640)
PHONE = 360 * 640


def first_element(markup: str):
    return parse_text("a.html", markup).elements[0]


@pytest.mark.parametrize(
    ("style", "position"),
    [
        ("position: fixed; bottom: 0", "fixed"),
        ("POSITION:STICKY;top:0", "sticky"),
        ("position: -webkit-sticky", "sticky"),
        ("position: fixed !important", "fixed"),
        ("position: fixed; position: static", ""),  # the last declaration wins
        ("/* position: fixed */ top: 0", ""),
        ("position: relative", ""),
        ("x-position: fixed", ""),
        ("", ""),
    ],
)
def test_pinned_position_reads_the_style_as_browsers_do(style: str, position: str) -> None:
    assert pinned_position(first_element(f'<div style="{style}"></div>')) == position


@pytest.mark.parametrize(
    ("style", "box"),
    [
        ("position:fixed;bottom:0;width:728px;height:90px", (360, 90 * 360 / 728)),
        ("position:fixed;bottom:0;height:40vh", (None, 0.4 * 640)),
        ("position:fixed;bottom:0;height:50%;width:100%", (360, 320)),
        # a sticky element's percentages are of its container, which the source does not say
        ("position:sticky;top:0;height:50%;width:100%", (None, None)),
        ("position:sticky;top:0;min-height:25vh;width:50vw", (180, 160)),
        ("position:fixed;inset:0", (360, 640)),
        ("position:fixed;inset:100px 20px", (320, 440)),
        ("position:fixed;top:0;bottom:40px;left:0;right:0", (360, 600)),
        ("position:fixed;top:0;left:0", (None, None)),
        ("position:fixed;top:0;bottom:auto", (None, None)),
    ],
)
def test_pinned_box_reads_pixels_screen_units_and_offsets(style: str, box: tuple) -> None:
    element = first_element(f'<div style="{style}"></div>')
    width, height = pinned_box(element, pinned_position(element), SCREEN)
    assert (width, height) == pytest.approx(box)


def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, name: str, text: str) -> list:
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--format", "json", "--select", "large-sticky-ad", name])
    return json.loads(capsys.readouterr().out)["findings"]


def test_a_fixed_rectangle_is_flagged_at_the_ad_naming_the_pinning_element(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    text = (
        "---\ntitle: Review\n---\n"
        "Some prose.\n\n"
        '<div class="wrap" style="position: fixed; bottom: 0; width: 100%">\n'
        '  <ins class="adsbygoogle" style="display:inline-block;width:300px;height:250px">'
        "</ins>\n"
        "</div>\n"
    )
    findings = lint(tmp_path, monkeypatch, capsys, "post.md", text)
    assert [(f["line"], f["column"]) for f in findings] == [(7, 3)]
    share = round(360 * 250 / PHONE * 100)  # full width (the wrapper's 100%) x 250 px
    assert share == 39
    message = findings[0]["message"]
    assert "position: fixed, set by the <div> at 6:1" in message
    assert f"covers about {share}% of a 360x640 px phone screen" in message
    assert "limit 30%" in message
    assert findings[0]["data"]["sticky_share"] == share


@pytest.mark.parametrize(
    "markup",
    [
        # an anchor banner: 320x50 is 7% of the screen
        '<div style="position:fixed;bottom:0"><ins class="adsbygoogle" '
        'style="display:inline-block;width:320px;height:50px"></ins></div>',
        # 320x100 is 14%
        '<ins class="adsbygoogle" style="position:sticky;top:0;width:320px;height:100px"></ins>',
        # no stated size: most pinned ads are small anchors, so nothing is assumed
        '<div style="position:fixed;bottom:0"><ins class="adsbygoogle"></ins></div>',
        # a rectangle that scrolls with the content
        '<div style="position:relative"><ins class="adsbygoogle" '
        'style="display:block;width:300px;height:250px"></ins></div>',
        # a pinned element holding no ad
        '<div style="position:fixed;inset:0"><p>Subscribe to our newsletter</p></div>',
    ],
)
def test_small_unsized_or_unpinned_ads_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, markup: str
) -> None:
    assert lint(tmp_path, monkeypatch, capsys, "a.html", f"<p>Text.</p>\n{markup}\n") == []


def test_a_full_screen_overlay_with_two_ads_is_reported_once_at_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    text = (
        "<p>Text.</p>\n"
        '<div style="position:fixed;inset:0;background:#000a">\n'
        '<div class="ad-slot"></div>\n'
        '<div class="ad-slot"></div>\n'
        "</div>\n"
    )
    findings = lint(tmp_path, monkeypatch, capsys, "a.html", text)
    assert [(f["line"], f["column"]) for f in findings] == [(3, 1)]
    assert "covers about 100% of a 360x640 px phone screen" in findings[0]["message"]


def test_an_ad_that_pins_itself_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    text = (
        '<p>Text.</p>\n<iframe src="https://ad.doubleclick.net/x" width="336" height="280"'
        ' style="position:sticky;top:0"></iframe>\n'
    )
    findings = lint(tmp_path, monkeypatch, capsys, "a.html", text)
    assert [(f["line"], f["column"]) for f in findings] == [(2, 1)]
    share = round(336 * 280 / PHONE * 100)
    assert (
        f"(position: sticky, set by its own style) covers about {share}%"
        in (findings[0]["message"])
    )


@pytest.mark.parametrize(
    ("options", "share"),
    [
        ("", None),  # 320x200 is 28% of 360x640: under the default 30%
        ("max_sticky_share: 0.25", 320 * 200 / PHONE),
        ("max_sticky_share: 0.25, screen_height: 900", None),  # 20% of 360x900
        ("max_sticky_share: 0.1, screen_width: 320, screen_height: 480", 200 / 480),
    ],
)
def test_the_limit_and_the_screen_come_from_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, options: str, share: float | None
) -> None:
    (tmp_path / ".adlint.yaml").write_text(f"rules:\n  large-sticky-ad: {{{options}}}\n")
    ad = '<ins class="adsbygoogle" style="position:fixed;bottom:0;width:320px;height:200px"></ins>'
    findings = lint(tmp_path, monkeypatch, capsys, "a.html", f"<p>Text.</p>\n{ad}\n")
    if share is None:
        assert findings == []
    else:
        assert len(findings) == 1
        assert f"covers about {round(share * 100)}% of a" in findings[0]["message"]


@pytest.mark.parametrize(("style", "stacked"), [("position:fixed;bottom:0", False), ("", True)])
def test_a_pinned_ad_is_not_stacked_with_the_ad_beside_its_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, style: str, stacked: bool
) -> None:
    prose = " ".join(f"w{n}" for n in range(300))
    text = (
        f"<p>{prose}</p>\n"
        '<ins class="adsbygoogle" style="display:block;height:100px"></ins>\n'
        f'<div style="{style}"><ins class="adsbygoogle" style="width:320px;height:50px"></ins>'
        f"</div>\n<p>{prose}</p>\n"
    )
    (tmp_path / "a.html").write_text(text)
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--format", "json", "--select", "ad-density", "a.html"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["data"]["measure"] for f in findings] == (["stacked"] if stacked else [])
