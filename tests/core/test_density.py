"""The density kind measures the main content: navigation and link lists are not content.

The Better Ads Standards measure ads against the main content, which "excludes headers,
footers and site navigation, including related articles" (research/domain.md). These tests
build articles whose verdict flips on that exclusion and compute the expected numbers and
positions from the text they build.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from adlint.cli import main
from adlint.engine import lint_document
from adlint.kinds import kinds
from adlint.parse import parse_text
from adlint.policy import REPLACED, Rule, load_default_policy
from adlint.rulebuild import kind_options

POLICY = load_default_policy()
UNIT = '<ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456"></ins>'


def density_rule(**options: object) -> Rule:
    rule = next(r for r in POLICY.rules_for("a.md") if r.id == "ad-density")
    return replace(rule, kind=replace(rule.kind, **options)) if options else rule


def density_findings(text: str, rule: Rule, path: str = "a.md") -> list:
    return lint_document(parse_text(path, text), [rule], POLICY)


def paragraph(words: int, seed: str) -> str:
    return " ".join(f"{seed}{n}" for n in range(words))


def prose(words: int, seed: str) -> str:
    """`words` words in Markdown paragraphs of 20 (many blocks keep the share measure quiet)."""
    return "\n\n".join(
        paragraph(min(20, words - start), f"{seed}{start}_") for start in range(0, words, 20)
    )


def also_read(items: int, words_each: int) -> str:
    links = "\n".join(
        f'<li><a href="https://other.example/{n}">{paragraph(words_each, "t")}</a></li>'
        for n in range(items)
    )
    return f'<span class="alsoread">Also read:</span>\n<div><ul>\n{links}\n</ul></div>\n'


def article_with_list() -> str:
    """300 words of prose and two units apart (6.7 per 1,000 words, over the limit of 6),
    then a 200-word "Also read" list that, counted as content, would bring it to 4.0."""
    return (
        "---\ntitle: t\n---\n\n"
        f"{prose(100, 'a')}\n\n{UNIT}\n\n{prose(100, 'b')}\n\n{UNIT}\n\n"
        f"{prose(100, 'c')}\n\n{also_read(20, 10)}"
    )


def test_a_list_of_links_is_not_content() -> None:
    text = article_with_list()
    findings = density_findings(text, density_rule())
    assert len(findings) == 1
    message = findings[0].message
    assert "2 ad units in 300 words (6.7 per 1,000 words; limit 6;" in message
    # the 20 list items (10 words each) and the two-word "Also read:" label
    assert "202 words of navigation and link lists not counted" in message
    assert findings[0].data["words"] == 300 and findings[0].data["navigation_words"] == 202
    # int(6 * 300 / 1000) = 1 unit fits: the finding is on the second, past the allowance
    second = text.index(UNIT, text.index(UNIT) + 1)
    line = text.count("\n", 0, second) + 1
    assert (findings[0].line, findings[0].column) == (line, 1)


def test_without_the_navigation_options_every_word_counts() -> None:
    plain = density_rule(navigation=None, navigation_link_share=None)
    assert density_findings(article_with_list(), plain) == []


def test_a_paragraph_with_a_link_in_its_prose_is_content() -> None:
    """Link share is measured per block: a link of 3 words in 100 words of prose is 3%."""
    linked = f"{paragraph(97, 'a')} [{paragraph(3, 'l')}](https://x.example/)"
    text = f"{linked}\n\n{UNIT}\n\n{prose(100, 'b')}\n\n{UNIT}\n\n{prose(150, 'c')}\n"
    assert density_findings(text, density_rule()) == []  # 2 units in 350 words: 5.7


@pytest.mark.parametrize("share", [0.5, 0.8, 1.0])
def test_the_link_share_threshold_is_inclusive(share: float) -> None:
    """A list item of 40 words, 32 of them link text (80%), is a link list from 0.8 down."""
    item = f"- {paragraph(8, 'p')} [{paragraph(32, 'l')}](https://x.example/)"
    text = f"{prose(290, 'a')}\n\n{UNIT}\n\n{paragraph(10, 'b')}\n\n{UNIT}\n\n{item}\n"
    findings = density_findings(text, density_rule(navigation_link_share=share))
    # a link list: 2 units in 300 words, 6.7 per 1,000; content: 2 in 340 words, 5.9
    assert [f.data["words"] for f in findings] == ([300] if share <= 0.8 else [])


def page(sidebar_tag: str) -> str:
    paragraphs = "\n".join(f"<p>{paragraph(50, f'p{n}')}</p>" for n in range(4))
    return (
        "<!doctype html><html><body>\n"
        f"<header><nav>{paragraph(30, 'n')}</nav></header>\n"
        f"<main>\n{paragraphs}\n{UNIT}\n</main>\n"
        f"<{sidebar_tag} class=sidebar>\n{UNIT}\n{UNIT}\n{UNIT}\n</{sidebar_tag}>\n"
        f"<footer>{paragraph(20, 'f')}</footer>\n"
        "</body></html>\n"
    )


def test_units_in_a_sidebar_are_outside_the_main_content() -> None:
    """One unit in 200 words of main content is 5 per 1,000 and 1 of 5 blocks: no finding.
    The three sidebar units would be 4 in 200 words, 4 of 8 blocks and a stack of three."""
    assert density_findings(page("aside"), density_rule(), path="a.html") == []


def test_the_same_units_in_a_plain_div_count() -> None:
    text = page("div")
    findings = density_findings(text, density_rule(), path="a.html")
    measures = sorted(f.data["measure"] for f in findings)
    # the height share counts none of them: all four follow the main content's last words
    # (the footer is navigation), and ads below the main content are not the Better Ads
    # Standards' (tests/core/test_heights.py tests that rule itself)
    assert measures == ["per_1000_words", "stacked"]
    assert {f.data["height_share"] for f in findings} == {0}
    stacked = next(f for f in findings if f.data["measure"] == "stacked")
    # the stack is the main's unit and the three in the div: the second is past max_stacked
    # (the <main> end tag between them is no content)
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (stacked.line, stacked.column) == (text.count("\n", 0, second) + 1, 1)
    assert stacked.data["stacked"] == 4
    # header and footer words are navigation either way: 30 + 20 left out
    assert {f.data["navigation_words"] for f in findings} == {50}
    assert {f.data["words"] for f in findings} == {200}


def test_a_link_list_between_two_units_does_not_separate_them() -> None:
    text = f"{prose(400, 'a')}\n\n{UNIT}\n\n{also_read(3, 4)}\n{UNIT}\n\n{prose(60, 'b')}\n"
    findings = density_findings(text, density_rule())
    assert [f.data["measure"] for f in findings] == ["stacked"]
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (findings[0].line, findings[0].column) == (text.count("\n", 0, second) + 1, 1)


def test_nested_navigation_counts_its_words_once() -> None:
    """Runs inside nested navigation elements are left out once, not once per level."""
    nested = "<aside>" * 50 + f"<nav>{paragraph(40, 'n')}</nav>" + "</aside>" * 50
    text = (
        f"<!doctype html><body>{nested}\n"
        + "".join(f"<p>{paragraph(60, f'p{n}')}</p>\n{UNIT}\n" for n in range(3))
        + "</body>\n"
    )
    findings = density_findings(text, density_rule(max_per_1000_words=1), path="a.html")
    rates = [f for f in findings if f.data["measure"] == "per_1000_words"]
    assert [(f.data["words"], f.data["navigation_words"]) for f in rates] == [(180, 40)]


def test_related_post_widget_classes_are_navigation() -> None:
    """The default policy knows common related-post widgets by class or id, even when their
    items carry excerpts (so the link share alone would keep them as content)."""
    widgets = [
        '<div class="jp-relatedposts">',
        '<div class="yarpp-related">',
        '<div class="crp_related">',
        '<section id="related-posts">',
    ]
    for widget in widgets:
        tag = widget[1 : widget.index(" ")]
        excerpt = f"<p><a href='https://x.example/'>Title</a> {paragraph(40, 'e')}</p>"
        text = (
            f"<!doctype html><body><p>{paragraph(300, 'a')}</p>\n{UNIT}\n"
            f"<p>{paragraph(10, 'b')}</p>\n{UNIT}\n{widget}{excerpt}</{tag}>\n</body>\n"
        )
        findings = density_findings(text, density_rule(), path="a.html")
        rates = [f for f in findings if f.data["measure"] == "per_1000_words"]
        # 2 units in 310 words is 6.5 per 1,000; with the 41 widget words, 5.7
        assert [f.data["words"] for f in rates] == [310], widget


def article_page(header: str, *, in_article: bool) -> str:
    """A page whose site header holds 20 words, and whose article, 300 words of prose
    between two units, is introduced by `header` (inside the article or before it)."""
    body = f"<p>{paragraph(150, 'a')}</p>\n{UNIT}\n<p>{paragraph(150, 'b')}</p>\n{UNIT}\n"
    article = f"<article>\n{header}\n{body}</article>" if in_article else f"{header}\n{body}"
    return (
        "<!doctype html><body>\n"
        f"<header><p>{paragraph(20, 's')}</p></header>\n"
        f"<main>\n{article}\n</main>\n</body>\n"
    )


def test_an_articles_own_header_is_main_content() -> None:
    """ARIA's banner is the page's header, not an article's: its title and byline are main
    content, and a unit in it is a unit in the main content. The site header stays out."""
    header = f"<header><h1>{paragraph(8, 'h')}</h1>{UNIT}</header>"
    text = article_page(header, in_article=True)
    findings = density_findings(text, density_rule(), path="a.html")
    rate = next(f for f in findings if f.data["measure"] == "per_1000_words")
    # 3 units in 308 words (9.7 per 1,000); the site header's 20 words are left out
    assert (rate.data["units"], rate.data["words"]) == (3, 308)
    assert rate.data["navigation_words"] == 20
    # int(6 * 308 / 1000) = 1 unit fits: the finding is on the second, the article's first
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (rate.line, rate.column) == (text.count("\n", 0, second) + 1, 1)


def test_a_header_directly_in_main_is_main_content() -> None:
    header = f"<header><h1>{paragraph(8, 'h')}</h1>{UNIT}</header>"
    findings = density_findings(article_page(header, in_article=False), density_rule(), "a.html")
    rates = [f.data for f in findings if f.data["measure"] == "per_1000_words"]
    assert [(d["units"], d["words"], d["navigation_words"]) for d in rates] == [(3, 308, 20)]


@pytest.mark.parametrize("tag", ["footer", "aside"])
def test_an_articles_footer_and_callouts_are_main_content(tag: str) -> None:
    """An <aside> inside an <article> is a callout of it; its <footer> is its own."""
    part = f"<{tag}><p>{paragraph(8, 'h')}</p>{UNIT}</{tag}>"
    findings = density_findings(article_page(part, in_article=True), density_rule(), "a.html")
    rates = [f.data for f in findings if f.data["measure"] == "per_1000_words"]
    assert [(d["units"], d["words"], d["navigation_words"]) for d in rates] == [(3, 308, 20)]


def test_a_sidebar_beside_the_article_in_main_stays_out() -> None:
    """An <aside> in <main> but outside the <article> is a sidebar: its words and units are
    not main content (2 units in 300 words: 6.7 per 1,000)."""
    sidebar = f"<aside><p>{paragraph(100, 's')}</p>{UNIT}</aside>"
    text = article_page("", in_article=True).replace("</article>", f"</article>\n{sidebar}")
    findings = density_findings(text, density_rule(), path="a.html")
    rates = [f.data for f in findings if f.data["measure"] == "per_1000_words"]
    assert [(d["units"], d["words"], d["navigation_words"]) for d in rates] == [(2, 300, 120)]


def test_the_detail_counts_in_english() -> None:
    """One unit, one word left out: `1 ad unit`, `1 word`, not `1 ad units`, `1 words`."""
    paragraphs = "".join(f"<p>{paragraph(20, f'p{n}')}</p>\n" for n in range(8))
    text = f"<!doctype html><body><nav>Home</nav>\n{paragraphs}{UNIT}\n</body>\n"
    findings = density_findings(text, density_rule(), path="a.html")
    # 6.25 per 1,000 words; 1 of 9 blocks
    assert [f.data["measure"] for f in findings] == ["per_1000_words"]
    detail = findings[0].data["detail"]
    assert detail.startswith("1 ad unit in 160 words (")
    assert detail.endswith("; 1 word of navigation and link lists not counted)")


def test_a_config_navigation_replaces_the_default_whole(tmp_path, monkeypatch) -> None:
    """`navigation` is a selector: a config's replaces the inherited one, as `select` does.
    Merged key by key, `{class: toc}` was ANDed with the default's `any` and matched only
    a nav, header, footer or widget that also had class toc: never this <div>."""
    toc = '<div class="toc">' + "".join(f"<p>{paragraph(30, f't{n}')}</p>" for n in range(5))
    paragraphs = "".join(f"<p>{paragraph(50, f'p{n}')}</p>\n" for n in range(4))
    body = f"{toc}</div>\n{paragraphs}{UNIT}\n<p>x</p>\n{UNIT}\n<p>y</p>\n"
    text = f"<!doctype html><body>\n{body}</body>\n"
    (tmp_path / "a.html").write_text(text)
    (tmp_path / ".adlint.yaml").write_text("rules:\n  ad-density:\n    navigation: {class: toc}\n")
    monkeypatch.chdir(tmp_path)
    argv = ["check", "--no-cache", "--select", "ad-density", "--format", "json", "-o", "o.json"]
    assert main([*argv, "a.html"]) == 0  # a warning: fails only at --fail-on warning
    findings = json.loads((tmp_path / "o.json").read_text())["findings"]
    # 2 units in 202 words (9.9 per 1,000, and 2 x 250 px of ads over ~650 px of text);
    # the 150 toc words are left out
    assert [f["data"]["measure"] for f in findings] == ["height_share", "per_1000_words"]
    assert {(f["data"]["words"], f["data"]["navigation_words"]) for f in findings} == {(202, 150)}
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (findings[1]["line"], findings[1]["column"]) == (text.count("\n", 0, second) + 1, 1)


def test_every_selector_option_is_replaced_whole() -> None:
    selector_options = {
        name
        for kind in kinds().values()
        for name, option in kind_options(kind).items()
        if str(option.type).startswith("Selector")
    }
    assert selector_options == {"select", "navigation"}
    assert selector_options <= set(REPLACED)


def test_null_unsets_an_inherited_option(tmp_path, monkeypatch, capsys) -> None:
    """README: omit a measure to skip it. An inherited rule's options cannot be omitted, so
    `null` unsets one whose default is none; an option with a default stays required."""
    text = article_with_list()
    (tmp_path / "a.md").write_text(text)
    monkeypatch.chdir(tmp_path)
    argv = ["check", "--no-cache", "--select", "ad-density", "--format", "json", "-o", "o.json"]
    config = tmp_path / ".adlint.yaml"
    config.write_text("rules:\n  ad-density:\n    navigation_link_share: null\n")
    assert main([*argv, "a.md"]) == 0
    findings = json.loads((tmp_path / "o.json").read_text())["findings"]
    assert findings == []  # the 200 list words count again: 2 units in 500 words
    config.write_text("rules:\n  ad-density:\n    max_per_1000_words: null\n")
    assert main([*argv, "--fail-on", "info", "a.md"]) == 0  # the only measure it failed
    config.write_text("rules:\n  ad-density:\n    min_words: null\n")
    assert main([*argv, "a.md"]) == 2
    err = capsys.readouterr().err
    assert '.adlint.yaml:3: rule "ad-density": key "min_words": must be an integer' in err


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("navigation: {}", "navigation"),
        ("navigation: {any: [{tag: nav}, {}]}", "navigation.any[1]"),
        ("select: {}", "select"),
    ],
)
def test_an_empty_selector_is_a_config_error(tmp_path, monkeypatch, capsys, setting, key) -> None:
    """`navigation: {}` matched every element: the whole page was navigation, no words were
    content and the rule went silent, with nothing to say why."""
    (tmp_path / "a.md").write_text(article_with_list())
    (tmp_path / ".adlint.yaml").write_text(f"rules:\n  ad-density:\n    {setting}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "a.md"]) == 2
    err = capsys.readouterr().err
    assert f'.adlint.yaml:3: rule "ad-density": key "{key}": is empty' in err, err


@pytest.mark.parametrize("tag", ["aside", "header", "footer"])
def test_a_markdown_articles_own_parts_are_main_content(tag: str) -> None:
    """A Markdown file is an article's body: an <aside> callout or a <header> in it is the
    article's, though no <article> tag says so. The same part in an HTML page with no
    <article> around it is the page's, and stays out."""
    part = f"<{tag}>\n\n{prose(40, 'h')}\n\n{UNIT}\n\n</{tag}>"
    text = f"---\ntitle: t\n---\n\n{prose(260, 'a')}\n\n{UNIT}\n\n{part}\n\n{UNIT}\n"
    findings = density_findings(text, density_rule())
    rates = [f for f in findings if f.data["measure"] == "per_1000_words"]
    # 3 units in 300 words: 10 per 1,000; nothing left out
    assert [(f.data["units"], f.data["words"], f.data["navigation_words"]) for f in rates] == [
        (3, 300, 0)
    ]
    # int(6 * 300 / 1000) = 1 unit fits: the finding is on the second, the part's own
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (rates[0].line, rates[0].column) == (text.count("\n", 0, second) + 1, 1)
    html = "".join(f"<p>{block}</p>\n" for block in prose(260, "a").split("\n\n"))
    page = f"<body>\n{html}{UNIT}\n<{tag}><p>{paragraph(40, 'h')}</p>{UNIT}</{tag}>\n{UNIT}\n"
    findings = density_findings(page, density_rule(), "a.html")
    # the part's 40 words and its unit are left out: 2 units in 260 words, 7.7 per 1,000
    rates = [f for f in findings if f.data["measure"] == "per_1000_words"]
    assert [(f.data["units"], f.data["words"]) for f in rates] == [(2, 260)]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("<aside class=content>", "</aside>"), ("<header>", ""), ("<nav>", "</nav>")],
)
def test_navigation_holding_every_word_measures_the_whole_page(opening, closing) -> None:
    """A page wrapped in one <aside>, or an unclosed <header>, had no main content left and
    every unit outside it: it could never be flagged. Navigation that holds every word is
    markup gone wrong, so the whole page is measured, and the message says so."""
    paragraphs = "\n".join(f"<p>{paragraph(50, f'p{n}')}</p>" for n in range(4))
    text = (
        f"<!doctype html><body>\n{opening}\n{paragraphs}\n{UNIT}\n<p>x y</p>\n{UNIT}\n"
        f"<p>{paragraph(50, 'q')}</p>\n{UNIT}\n{closing}\n</body>\n"
    )
    findings = density_findings(text, density_rule(), path="a.html")
    rates = [f for f in findings if f.data["measure"] == "per_1000_words"]
    # 3 units in 252 words: 11.9 per 1,000; int(6 * 252 / 1000) = 1 fits
    assert [(f.data["units"], f.data["words"], f.data["navigation_words"]) for f in rates] == [
        (3, 252, 0)
    ]
    assert (
        rates[0]
        .data["detail"]
        .endswith("; navigation held every word, so the whole page was measured)")
    )
    second = text.index(UNIT, text.index(UNIT) + 1)
    assert (rates[0].line, rates[0].column) == (text.count("\n", 0, second) + 1, 1)


def test_navigation_beside_some_content_still_leaves_its_units_out() -> None:
    """The fallback is for navigation holding every word: one content word outside keeps
    the sidebar's units out (they would be 3 units in 5 words)."""
    sidebar = f"<aside><p>{paragraph(200, 's')}</p>{UNIT * 3}</aside>"
    text = f"<body>\n<p>{paragraph(5, 'c')}</p>\n{sidebar}\n"
    assert density_findings(text, density_rule(), path="a.html") == []


def test_the_format_key_matches_the_kind_of_file(tmp_path, monkeypatch, capsys) -> None:
    rule = (
        "rules:\n  md-images:\n    kind: match\n    severity: warning\n"
        "    message: m\n    select: {tag: img, format: markdown}\n"
    )
    image = '<img src="https://cdn.example/x.png" alt="x">'
    (tmp_path / "a.md").write_text(f"# t\n\n{image}\n")
    (tmp_path / "b.html").write_text(f"<p>\n{image}</p>\n")
    (tmp_path / ".adlint.yaml").write_text(rule)
    monkeypatch.chdir(tmp_path)
    argv = ["check", "--no-cache", "--select", "md-images", "--format", "json", "-o", "o.json"]
    assert main([*argv, "a.md", "b.html"]) == 0
    findings = json.loads((tmp_path / "o.json").read_text())["findings"]
    # a match rule reports at the URL
    assert [(f["path"], f["line"], f["column"]) for f in findings] == [
        ("a.md", 3, image.index("https") + 1)
    ]
    (tmp_path / ".adlint.yaml").write_text(rule.replace("format: markdown", "format: md"))
    assert main([*argv, "a.md"]) == 2
    err = capsys.readouterr().err
    assert '.adlint.yaml:6: rule "md-images": key "select.format": must be html or markdown' in err
