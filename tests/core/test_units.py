"""Unit tests for the small modules: selectors, pattern safety, directives, discovery, kinds."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adlint.directives import Suppression, suppression_reason, suppression_reasons, suppressions
from adlint.discover import discover
from adlint.engine import lint_document, lint_text, render_message
from adlint.parse import parse_text
from adlint.pathmatch import matches_any
from adlint.pattern import UnsafePattern, compile_pattern
from adlint.policy import load_default_policy
from adlint.select import MatchContext, Selector, SelectorError

POLICY = load_default_policy()


def select(spec: dict, html: str, sites: tuple[str, ...] = ()) -> list[str]:
    document = parse_text("t.html", f"<!doctype html><body>{html}</body>")
    context = MatchContext(document, sites, POLICY.catalogue)
    return [e.tag for e in document.elements if Selector(spec).match(e, context) is not None]


@pytest.mark.parametrize(
    ("spec", "html", "expected"),
    [
        ({"tag": "a"}, '<a href="x">1</a><img src="y">', ["a"]),
        ({"class": ["ad", "promo"]}, '<div class="x promo">1</div><div class="y">2</div>', ["div"]),
        ({"attr": {"data-ad-slot": True}}, '<ins data-ad-slot="1"></ins><ins></ins>', ["ins"]),
        ({"attr": {"rel": False}, "tag": "a"}, '<a href="x" rel="a">1</a><a href="y">2</a>', ["a"]),
        ({"hidden": True}, '<img src="x" width="1" height="1"><img src="y">', ["img"]),
        (
            {"party": "third", "tag": "a"},
            '<a href="https://me.example/x">1</a><a href="https://o.example">2</a>',
            ["a"],
        ),
        (
            {"domain": "amazon.com"},
            '<a href="https://www.amazon.com/x">1</a><a href="https://amazon.example">2</a>',
            ["a"],
        ),
        (
            {"param": "tag"},
            '<a href="https://s.example/?tag=1">1</a><a href="https://s.example/">2</a>',
            ["a"],
        ),
        (
            {"inside": {"tag": "noscript"}},
            '<noscript><img src="x"></noscript><img src="y">',
            ["img"],
        ),
        ({"not": {"tag": "a"}, "tag": ["a", "img"]}, '<a href="x">1</a><img src="y">', ["img"]),
        (
            {"any": [{"tag": "a"}, {"tag": "img"}]},
            '<a href="x">1</a><img src="y"><p>z</p>',
            ["a", "img"],
        ),
        (
            {"affiliate": True},
            '<a href="https://amzn.to/3x">1</a><a href="https://www.amazon.com/dp/1">2</a>',
            ["a"],
        ),
        ({"text": "(?i)sponsor"}, '<p class="x">Sponsored</p><p class="y">Plain</p>', ["p"]),
        (
            {"scheme": "javascript"},
            '<a href="javascript:x()">1</a><a href="https://x.example">2</a>',
            ["a"],
        ),
    ],
)
def test_selector_keys(spec, html, expected):
    assert select(spec, html, sites=("me.example",)) == expected


def test_selector_captures_named_groups_and_constants():
    document = parse_text("t.html", '<ins data-ad-client="ca-pub-123"></ins>')
    spec = {"attr": {"data-ad-client": "(?P<client>ca-pub-\\d+)"}, "data": {"kind": "unit"}}
    context = MatchContext(document, (), None)
    assert Selector(spec).match(document.elements[0], context) == {
        "client": "ca-pub-123",
        "kind": "unit",
    }


def test_inside_captures_from_the_innermost_matching_ancestor():
    """`inside` answers from a memo shared by the document's elements: each link must still
    get its own innermost slot, and a link outside every slot none."""
    html = (
        '<div class="ad" data-x="1"><div class="ad" data-x="2">'
        '<a href="/1">1</a><span class="s"><b><a href="/4">4</a></b></span>'
        '</div><a href="/2">2</a><p><a href="/5">5</a></p></div><a href="/3">3</a>'
    )
    document = parse_text("t.html", html)
    context = MatchContext(document, (), None)
    selector = Selector({"tag": "a", "inside": {"class": "ad", "attr": {"data-x": "(?P<x>\\d)"}}})
    found = [(e.url, c) for e, c in context.selected(selector)]
    assert found == [("/1", {"x": "2"}), ("/4", {"x": "2"}), ("/2", {"x": "1"}), ("/5", {"x": "1"})]
    span = next(e for e in document.elements if e.tag == "span")
    link4 = next(e for e in document.elements if e.url == "/4")
    assert [e.tag for e in document.ancestors(link4)] == ["span", "div", "div"]
    assert link4.parent == span.index  # <b> has no attributes: not recorded, not a parent


def test_selection_is_shared_by_selectors_written_alike():
    document = parse_text("t.html", '<a href="/1" class="x">1</a><a href="/2">2</a>')
    context = MatchContext(document, (), None)
    first = list(context.selected(Selector({"tag": "a", "class": "x"})))
    assert [(e.url, c) for e, c in first] == [("/1", {})]
    again = list(context.selected(Selector({"tag": "a", "class": "x"})))
    assert again == first and again[0][1] is first[0][1]  # read from the kept selection
    reordered = list(context.selected(Selector({"class": "x", "tag": "a"})))
    assert reordered == first and reordered[0][1] is not first[0][1]  # matched afresh


def test_selection_read_part_way_is_not_kept():
    document = parse_text("t.html", '<a href="/1">1</a><a href="/2">2</a>')
    context = MatchContext(document, (), None)
    selector = Selector({"tag": "a"})
    next(iter(context.selected(selector)))
    assert [e.url for e, _ in context.selected(selector)] == ["/1", "/2"]


def test_unknown_selector_key_names_its_path():
    with pytest.raises(SelectorError) as error:
        Selector({"any": [{"tagg": "a"}]})
    assert error.value.key == "select.any[0].tagg"


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)*$", r"(?:x*y*)*z", r"(a)\1"])
def test_catastrophic_patterns_are_refused(pattern):
    with pytest.raises(UnsafePattern):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    "pattern", [r"^/c/(\d+)/(\d+)", r"(?i)\b(affiliate|sponsored)\b", r"x{1,5}"]
)
def test_ordinary_patterns_compile(pattern):
    assert compile_pattern(pattern).pattern == pattern


def test_disable_enable_ranges_and_next_line():
    text = (
        "<!-- adlint-disable tracking-pixel -- consented -->\n"  # 1
        "a\n"  # 2
        "<!-- adlint-enable tracking-pixel -->\n"  # 3
        "b\n"  # 4
        "<!-- adlint-disable-next-line ad-unit, affiliate-link -- sold -->\n"  # 5
        "c\n"  # 6
        "<!-- adlint-disable -->\n"  # 7
        "d\n"  # 8
    )
    found = suppressions(parse_text("a.md", text))
    assert suppression_reason(found, "tracking-pixel", 2) == "consented"
    assert suppression_reason(found, "tracking-pixel", 4) is None
    assert suppression_reason(found, "affiliate-link", 6) == "sold"
    assert suppression_reason(found, "ad-unit", 6) == "sold"
    assert suppression_reason(found, "tracking-pixel", 6) is None
    assert suppression_reason(found, "anything", 8) == "adlint-disable directive"


_SUPPRESSION = st.builds(
    Suppression,
    st.frozensets(st.sampled_from(["a", "b", "*"]), min_size=1),
    st.integers(1, 12),
    st.integers(0, 6),
    st.sampled_from(["r1", "r2", "r3"]),
).map(lambda s: replace(s, last_line=s.first_line + s.last_line))


@given(
    st.lists(_SUPPRESSION, max_size=12),
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 20)), max_size=20),
)
def test_suppression_sweep_gives_the_first_covering_suppression(rules, findings):
    """The sweep must agree with the definition: the first suppression, in document order,
    whose lines and rules cover the finding."""
    expected = [
        next((s.reason for s in rules if s.covers(rule, line)), None) for rule, line in findings
    ]
    assert suppression_reasons(rules, findings) == expected


def test_annotation_comments_are_not_directives():
    text = "<!-- expect: affiliate-link -->\n[x](https://amzn.to/3abc)\n"
    [finding] = [f for f in lint_text(text, POLICY) if f.rule == "affiliate-link"]
    assert finding.suppressed is None


def test_discover_skips_vcs_dependencies_and_gitignored(tmp_path: Path):
    for name in ("a.md", ".git/x.md", "node_modules/y.md", "drafts/z.md", "keep/k.md", "b.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    (tmp_path / ".gitignore").write_text("drafts/\n*.tmp\n")
    found = sorted(t.path.relative_to(tmp_path).as_posix() for t in discover([str(tmp_path)]))
    assert found == ["a.md", "keep/k.md"]


def test_discover_survives_a_symlink_loop(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("x\n")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    found = [t.path.name for t in discover([str(tmp_path)])]
    assert found.count("a.md") <= 2 and "a.md" in found


@pytest.mark.parametrize(
    ("path", "globs", "expected"),
    [
        ("drafts/a.md", ["drafts/**"], True),
        ("x/drafts/a.md", ["drafts"], True),
        ("news/a.md", ["archive/**"], False),
        ("a.md", ["*.md"], True),
    ],
)
def test_path_globs(path, globs, expected):
    assert matches_any(path, globs) is expected


def test_disclosure_after_the_link_does_not_count():
    text = "[x](https://amzn.to/3abc)\n\nWe earn a commission from links on this page.\n"
    assert [f.rule for f in lint_text(text, POLICY) if "disclosure" in f.rule] == [
        "affiliate-disclosure-missing"
    ]


def test_disclosure_in_front_matter_counts():
    text = "---\ndisclosure: true\n---\n\n[x](https://amzn.to/3abc)\n"
    assert not [f for f in lint_text(text, POLICY) if "disclosure" in f.rule]


def test_density_per_words_and_stacking_measures():
    prose = " ".join(["word"] * 400)
    units = '\n\n<ins class="adsbygoogle" data-ad-slot="1"></ins>\n\n'
    text = prose + (units + "More prose here.") * 4
    messages = [f.message for f in lint_text(text, POLICY) if f.rule == "ad-density"]
    # 4 units in 412 words is 9.7 per 1,000 (limit 6). On a 360 px phone the 4 units of no
    # declared size are 250 px each; 412 words at 45 characters (6 per word) a line of
    # 24 px, and 5 blocks 16 px apart, are 1,318.4 + 80 px: ads take 42% (limit 30%).
    share = round(100 * 4 * 250 / (4 * 250 + 412 * 6 / 45 * 24 + 5 * 16))
    assert any("412 words (9.7 per 1,000 words; limit 6)" in m for m in messages), messages
    assert any(f"about {share}% of the page's height" in m for m in messages), messages
    assert not any("stacked" in m or "blocks are ads" in m for m in messages), messages


def test_density_stacks_count_words_between_units_with_or_without_parser_counts():
    unit = '<ins class="adsbygoogle" data-ad-slot="1"></ins>'
    text = f"{unit}\n\n{unit}\n\nTwo words.\n\n{unit}\n\n<p>one</p>\n\n{unit}{unit}\n"
    document = parse_text("t.md", text)
    assert document.run_words == tuple(len(run.text.split()) for run in document.runs)
    rules = [rule for rule in POLICY.rules_for("t.md") if rule.id == "ad-density"]
    counted = lint_document(document, rules, POLICY)
    uncounted = lint_document(replace(document, run_words=()), rules, POLICY)
    assert [f.message for f in counted] == [
        "Too many ads for the content: 2 ad units stacked with no content between them",
        "Too many ads for the content: 2 ad units stacked with no content between them",
    ]
    assert [(f.line, f.column) for f in counted] == [(3, 1), (11, 49)]
    assert uncounted == counted


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"network": "Amazon", "affiliate_id": "me-20", "url": "u"}, "Amazon link (ID me-20): u"),
        ({"network": "Amazon", "affiliate_id": None, "url": "u"}, "Amazon link: u"),
        ({"network": "Amazon", "url": "u"}, "Amazon link: u"),
    ],
)
def test_message_leaves_out_a_parenthesised_part_whose_field_is_empty(data, expected):
    assert render_message("{network} link (ID {affiliate_id}): {url}", data) == expected


def test_message_keeps_parentheses_without_fields_or_with_several():
    template = "{a} (see docs) ({a} and {b})"
    assert render_message(template, {"a": "x"}) == "x (see docs) (x and )"


def test_density_counts_a_unit_nested_in_another_unit_once():
    """An AdSense `<ins>` inside an `ad-slot` container is one ad, however deep (the
    nesting test now walks parents through a memo instead of each element's ancestors)."""
    nested = (
        '<div class="ad-slot"><section class="s"><div id="d">'
        '<ins class="adsbygoogle"></ins></div></section></div>'
    )
    text = f'{nested}\n\n{nested}\n\n<ins class="adsbygoogle"></ins>\n\nProse.\n\n{nested}\n'
    messages = [f.message for f in lint_text(text, POLICY, path="t.html") if f.rule == "ad-density"]
    assert "Too many ads for the content: 3 ad units stacked with no content between them" in (
        messages
    )
    assert not any("6 ad units" in m or "4 ad units" in m for m in messages), messages


def test_a_repeat_count_too_large_is_a_syntax_error():
    # re raises OverflowError, not re.error, for it: callers report re.error at file:line
    with pytest.raises(re.error):
        compile_pattern("a{99999999999}")
