"""The ad-density rule's height share: ads' share of the page's estimated height on a phone.

Expected heights are worked out here from the model the README documents (a 360 px screen;
16 px text: 45 characters a line of 24 px, 6 characters a word, 16 px between blocks; a
300x250 rectangle for an ad of unknown size; 16:9 at full width for an image of unknown
size), not read back from the code.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.engine import lint_document
from adlint.kinds.heights import Screen, ad_height, declared_size, media_height, slot_sizes
from adlint.parse import parse_text
from adlint.policy import Rule, load_default_policy

POLICY = load_default_policy()
SCREEN = Screen(360)


def element(markup: str, tag: str | None = None):
    document = parse_text("a.html", markup)
    return document, next(e for e in document.elements if tag is None or e.tag == tag)


@pytest.mark.parametrize(
    ("markup", "size"),
    [
        ('<img width="300" height="250">', (300, 250)),
        ('<img width="300px" height=" 250 ">', (300, 250)),
        ('<img width="100%" height="250">', (None, 250)),
        ('<ins style="display:inline-block;width:728px;height:90px"></ins>', (728, 90)),
        ('<ins style="HEIGHT: 90PX !important" height="600"></ins>', (None, 90)),
        ("<div id=div-gpt-ad-1 style='min-width: 300px; min-height: 250px;'></div>", (300, 250)),
        ('<div style="height:auto;min-height:100px"></div>', (None, 100)),
        ('<div style="height:10em;max-width:500px;line-height:30px"></div>', (None, None)),
        ('<div style="height:50%"></div>', (None, None)),
        ('<div style="height:0" width="1"></div>', (1, 0)),
    ],
)
def test_declared_size_reads_pixels_from_style_before_attributes(markup, size) -> None:
    _, found = element(markup)
    assert declared_size(found) == size


def test_an_ads_size_comes_from_itself_its_image_or_its_file_name() -> None:
    wide = 90 * 360 / 728  # a leaderboard shrunk to the screen's width
    document, banner = element('<a href="https://x.example/c"><img width=728 height=90></a>', "a")
    assert ad_height(banner, document, SCREEN) == pytest.approx(wide)
    document, named = element('<a href="https://x.example/c"><img src="/b/top_728x90.gif"></a>')
    assert ad_height(named, document, SCREEN) == pytest.approx(wide)
    document, slot = element('<ins class="adsbygoogle" style="height:600px;width:160px"></ins>')
    assert ad_height(slot, document, SCREEN) == 600
    pixel_first = (
        '<div class="ad"><img src="/p.gif" width="1" height="1"><img width=300 height=600></div>'
    )
    document, tower = element(pixel_first)
    assert ad_height(tower, document, SCREEN) == 600  # the impression pixel is not the ad
    document, unknown = element('<ins class="adsbygoogle" data-ad-format="auto"></ins>')
    assert ad_height(unknown, document, SCREEN) == 250  # a 300x250 fits 360 px unscaled


def test_a_content_images_height_is_declared_named_or_full_width_16_9() -> None:
    _, declared = element('<img src="a.jpg" width="1200" height="800">')
    assert media_height(declared, SCREEN) == pytest.approx(800 * 360 / 1200)
    _, thumbnail = element('<img src="/wp-content/uploads/photo-300x200.jpg">')
    assert media_height(thumbnail, SCREEN) == 200
    _, unknown = element('<img src="photo.jpg">')
    assert media_height(unknown, SCREEN) == pytest.approx(360 * 9 / 16)


def words(count: int, seed: str) -> str:
    return " ".join(f"{seed}{n}" for n in range(count))


def height_findings(text: str, path: str = "a.md", **options: object) -> list:
    rule: Rule = next(r for r in POLICY.rules_for(path) if r.id == "ad-density")
    kind = replace(rule.kind, max_per_1000_words=None, max_stacked=None, **options)
    found = lint_document(parse_text(path, text), [replace(rule, kind=kind)], POLICY)
    return [f for f in found if f.data["measure"] == "height_share"]


def text_height(word_count: int, blocks: int) -> float:
    return word_count * 6 / 45 * 24 + blocks * 16


def test_the_same_number_of_ads_passes_as_banners_and_fails_as_rectangles() -> None:
    """What the block share cannot tell apart: three units in four 50-word paragraphs."""
    paragraphs = [words(50, f"p{n}_") for n in range(4)]

    def article(unit: str) -> str:
        return f"{paragraphs[0]}\n\n{unit}\n\n{paragraphs[1]}\n\n{unit}\n\n" + (
            f"{paragraphs[2]}\n\n{unit}\n\n{paragraphs[3]}\n"
        )

    banner = '<ins class="adsbygoogle" style="display:inline-block;width:728px;height:90px"></ins>'
    rectangle = '<ins class="adsbygoogle" style="display:block;height:250px"></ins>'
    text = text_height(200, 4)  # 160 px per paragraph of text, 16 px apart
    assert height_findings(article(banner)) == []  # 3 x 44.5 px: 16%
    [finding] = height_findings(article(rectangle))
    share = round(100 * 750 / (750 + text))
    assert share == 52 and finding.data["height_share"] == share
    assert f"ads take about {share}% of the page's height on a 360 px wide phone" in (
        finding.message
    )
    text_so_far = article(rectangle)
    assert (finding.line, finding.column) == (
        text_so_far[: text_so_far.index("<ins")].count("\n") + 1,
        1,
    )


def test_content_images_count_as_content_and_ad_images_as_ads() -> None:
    banner = '<a href="https://brand.sjv.io/c/1/2/3"><img src="/b/box-300x300.png"></a>'
    photos = "\n\n".join(f'<img src="/p/{n}.jpg" width="720" height="480">' for n in range(3))
    pixel = '<img src="https://t.example/p.gif" width="1" height="1">'
    page = f"{words(160, 'a')}\n\n{banner}\n\n{photos}\n\n{pixel}\n\n{words(40, 'b')}\n"
    [finding] = height_findings(page, max_height_share=0.1)
    # the banner's 300 px; the photos 3 x 240 px (shrunk from 720 wide); no pixel
    expected = round(100 * 300 / (300 + 3 * 240 + text_height(200, 2)))
    assert finding.data["height_share"] == expected == 18


def test_a_wider_screen_shrinks_text_more_than_fixed_size_ads() -> None:
    unit = '<ins class="adsbygoogle" style="height:250px"></ins>'
    page = f"{words(300, 'a')}\n\n{unit}\n\n{words(300, 'b')}\n"
    narrow = height_findings(page, max_height_share=0.0)[0].data["height_share"]
    wide = height_findings(page, max_height_share=0.0, screen_width=720)[0].data["height_share"]
    assert narrow == round(100 * 250 / (250 + text_height(600, 2)))
    assert wide == round(100 * 250 / (250 + 600 * 6 / 90 * 24 + 2 * 16))
    assert wide > narrow


def test_ads_and_images_in_navigation_are_left_out(tmp_path: Path) -> None:
    unit = '<ins class="adsbygoogle" style="height:250px"></ins>'
    sidebar = f'<aside><img src="/s.jpg" width="300" height="600">{unit}</aside>'
    main = f"<main><p>{words(300, 'a')}</p>{unit}<p>{words(100, 'b')}</p></main>"
    page = f"<html><body>{sidebar}{main}</body></html>\n"
    [finding] = height_findings(page, path="a.html", max_height_share=0.0)
    assert finding.data["height_share"] == round(100 * 250 / (250 + text_height(400, 2)))


@pytest.mark.parametrize(
    ("rule", "option", "message"),
    [
        ("ad-density", "screen_width: 50", 'key "screen_width": must be at least 100, not 50'),
        ("ad-density", "max_height_share: 2", 'key "max_height_share": must be at most 1, not 2'),
        ("ad-density", "screen_width: wide", 'key "screen_width": must be a number'),
        (
            "large-sticky-ad",
            "screen_height: 50",
            'key "screen_height": must be at least 100, not 50',
        ),
        (
            "large-sticky-ad",
            "max_sticky_share: 1.5",
            'key "max_sticky_share": must be at most 1, not 1.5',
        ),
        ("large-sticky-ad", "max_sticky_share: lots", 'key "max_sticky_share": must be a number'),
    ],
)
def test_bad_height_options_are_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, rule: str, option: str, message: str
) -> None:
    (tmp_path / ".adlint.yaml").write_text(f"rules:\n  {rule}:\n    {option}\n")
    (tmp_path / "a.md").write_text("Text.\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "a.md"]) == 2
    expected = f'adlint: error: .adlint.yaml:3: rule "{rule}": {message}\n'
    assert capsys.readouterr().err == expected


def test_ads_below_the_main_content_are_not_counted() -> None:
    """The Standards: "Ads below the main content portion of the page are not included in
    the density calculation". Two units after the last paragraph, before an "Also read"
    list (navigation), as in the seed articles; a third between paragraphs counts."""
    rectangle = '<ins class="adsbygoogle" style="display:block;height:250px"></ins>'
    also_read = "".join(
        f'<li><a href="https://x.example/{n}">{words(6, "r")}</a></li>' for n in range(8)
    )
    page = (
        f"{words(100, 'a')}\n\n{rectangle}\n\n{words(100, 'b')}\n\n"
        f"{rectangle}\n\n{rectangle}\n\n"
        f'<span class="atpl-alsoreadstyle">Also read:</span>\n<div><ul>{also_read}</ul></div>\n'
    )
    [finding] = height_findings(page, max_height_share=0.1)
    share = round(100 * 250 / (250 + text_height(200, 2)))  # one unit; the list is no content
    assert finding.data["height_share"] == share == 27
    assert "; 2 ad units below the main content not counted)" in finding.message
    assert (finding.line, finding.column) == (3, 1)  # at the unit that counts
    # the same units with a paragraph after them are inside the main content: all count
    inside = page.replace('<span class="atpl-alsoreadstyle">Also read:</span>', words(20, "c"))
    [finding] = height_findings(inside, max_height_share=0.1)
    assert finding.data["height_share"] == round(100 * 750 / (750 + text_height(220, 3)))
    assert "below the main content" not in finding.message


def test_an_image_ends_the_main_content_too() -> None:
    """An article that ends on a photo: a unit before the photo is inside the main
    content, one after it below."""
    unit = '<ins class="adsbygoogle" style="height:100px"></ins>'
    photo = '<img src="/p.jpg" width="360" height="240">'
    page = f"{words(200, 'a')}\n\n{unit}\n\n{photo}\n\n{unit}\n"
    [finding] = height_findings(page, max_height_share=0.0)
    assert finding.data["height_share"] == round(100 * 100 / (100 + 240 + text_height(200, 1)))


def test_an_ad_pinned_to_the_screen_counts_wherever_its_markup_is() -> None:
    """Sticky ads count toward density, once; their markup often closes the page."""
    unit = '<ins class="adsbygoogle" style="height:100px"></ins>'
    anchor = (
        '<div style="position:fixed;bottom:0">'
        '<ins class="adsbygoogle" style="height:50px"></ins></div>'
    )
    page = f"{words(200, 'a')}\n\n{unit}\n\n{words(100, 'b')}\n\n{anchor}\n"
    [finding] = height_findings(page, max_height_share=0.0)
    assert finding.data["height_share"] == round(100 * 150 / (150 + text_height(300, 2)))


GPT = """<script>
  googletag.cmd.push(function() {
    googletag.defineSlot('/6355419/side', [[300, 250], [ 300,600 ]], 'side-slot')
      .addService(googletag.pubads());
    googletag.defineSlot("/6355419/top", [728, 90], "top-slot").addService(googletag.pubads());
    googletag.defineSlot(`/1/native`, 'fluid', 'native-slot');
    googletag.defineSlot('/1/mixed', [[320, 50], 'fluid'], 'mixed-slot');
  });
</script>"""


def test_gpt_slot_sizes_come_from_define_slot_calls() -> None:
    document = parse_text("a.html", GPT)
    assert slot_sizes(document) == {
        "side-slot": [(300, 250), (300, 600)],
        "top-slot": [(728, 90)],
        "mixed-slot": [(320, 50)],
    }


@pytest.mark.parametrize(
    ("markup", "height"),
    [
        ('<div id="top-slot"></div>', 90 * 360 / 728),  # a leaderboard fitted to 360 px
        ('<div class="ad-slot"><div id="top-slot"></div></div>', 90 * 360 / 728),  # inside
        ('<div id="side-slot"></div>', 600),  # the tallest size the slot takes
        ('<div id="top-slot" style="min-height:250px"></div>', 250),  # its own size first
        ('<div id="native-slot"></div>', 250),  # fluid: unknown, a medium rectangle
        ('<div id="other-slot"></div>', 250),
    ],
)
def test_a_gpt_slot_without_a_size_of_its_own_takes_its_define_slot_size(
    markup: str, height: float
) -> None:
    document = parse_text("a.html", f"{GPT}\n<main>{markup}</main>")
    slots = slot_sizes(document)
    unit = next(e for e in document.elements if e.tag == "div")
    assert ad_height(unit, document, SCREEN, slots) == pytest.approx(height)
