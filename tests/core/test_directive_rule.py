"""The `directive` kind: directives naming no rule of the policy (directive-unknown-rule), and
comments opening with an `adlint-` word that is no directive (directive-unknown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.config import load_config
from adlint.directives import MAX_RULE_IDS
from adlint.engine import lint_text
from adlint.policy import Policy, load_default_policy

RULE = "directive-unknown-rule"
POLICY = load_default_policy()


def unknown(text: str, policy: Policy = POLICY, path: str = "a.md") -> list[tuple]:
    return [
        (f.line, f.column, f.end_line, f.end_column, f.message)
        for f in lint_text(text, policy, path=path)
        if f.rule == RULE
    ]


def test_points_at_the_misspelt_id_counting_front_matter_lines():
    text = "---\ntitle: t\n---\nIntro <!-- adlint-disable-line  ad-unit,tracking-pixl -->\n"
    assert unknown(text) == [
        (
            4,
            41,
            4,
            54,
            'adlint-disable-line names unknown rule "tracking-pixl" '
            '(did you mean "tracking-pixel"?)',
        )
    ]


def test_each_unknown_id_in_an_html_page_with_crlf_lines():
    text = (
        "<html><body>\r\n"
        "<p>Intro</p>\r\n"
        "<!--\tadlint-disable Tracking-Pixel,zzz-qqq  -- two wrong ids -->\r\n"
        "</body></html>\r\n"
    )
    found = unknown(text, path="page.html")
    assert [row[:4] for row in found] == [(3, 21, 3, 35), (3, 36, 3, 43)]
    assert found[0][4].endswith('"Tracking-Pixel" (did you mean "tracking-pixel"?)')
    assert found[1][4] == 'adlint-disable names unknown rule "zzz-qqq"'


@pytest.mark.parametrize(
    "directive",
    [
        "<!-- adlint-disable -->",  # no ids: every rule
        "<!-- adlint-disable-line * -- every rule, spelt out -->",
        "<!-- adlint-disable-next-line ad-unit -- tracking-pixl in the reason -->",
        "<!-- adlint-enable affiliate-link, ad-unit -->",
        "<!-- adlint-disabled tracking-pixl -->",  # no directive: directive-unknown's business
        "<!-- expect: tracking-pixl -->",
    ],
)
def test_known_ids_reasons_and_other_comments_are_not_flagged(directive: str):
    assert unknown(f"Text.\n{directive}\nMore text.\n") == []


def test_ids_inside_code_are_not_directives():
    assert unknown("```html\n<!-- adlint-disable tracking-pixl -->\n```\n") == []


def test_disabled_rules_and_rules_of_the_config_are_known(tmp_path: Path):
    (tmp_path / ".adlint.yaml").write_text(
        "rules:\n"
        "  ad-unit: false\n"
        "  tracking-pixel: {severity: off}\n"
        "  house-rule:\n"
        "    kind: match\n"
        "    severity: 'off'\n"
        "    message: m\n"
        "    select: {tag: a}\n"
        "overrides:\n"
        "  - paths: ['legal/**']\n"
        "    rules: {house-rule: {severity: info}}\n"
    )
    policy, _ = load_config(config=None, policies=[], cwd=tmp_path)
    text = "<!-- adlint-disable ad-unit, tracking-pixel, house-rule, ad-unitt -->\n"
    assert [row[4] for row in unknown(text, policy)] == [
        'adlint-disable names unknown rule "ad-unitt" (did you mean "ad-unit"?)'
    ]


def test_the_finding_can_itself_be_suppressed():
    text = "<!-- adlint-disable-line directive-unknown-rule, legacy-id -->\n"
    [finding] = [f for f in lint_text(text, POLICY) if f.rule == RULE]
    assert finding.suppressed == "adlint-disable-line directive"


def test_without_a_policy_behind_it_the_kind_says_nothing():
    """A policy built in code from rules alone still knows its own ids; one with no rule
    ids at all (nothing to judge by) must not flag every directive."""
    rule = next(r for r in POLICY.rules if r.id == RULE)
    text = "<!-- adlint-disable tracking-pixl -->\n"
    assert unknown(text, Policy(rules=[rule])) != []  # its own id is known, others not
    assert [f for f in lint_text(text, Policy(rules=[])) if f.rule == RULE] == []


def test_a_directive_may_spread_its_ids_and_reason_over_lines():
    text = (
        "Text.\n"
        "<!-- adlint-disable-next-line\n"
        "     tracking-pixel,\n"
        "     tracking-pixl -- consented\n"
        "     analytics -->\n"
        '<img src="https://t.example/p.gif" width="1" height="1">\n'
    )
    # the misspelt id on line 4, after five spaces
    assert [row[:4] for row in unknown(text)] == [(4, 6, 4, 19)]
    [pixel] = [f for f in lint_text(text, POLICY) if f.rule == "tracking-pixel"]
    assert (pixel.line, pixel.suppressed) == (6, "consented analytics")
    # "next line" is the one after the comment's end (line 6): one line lower is not covered
    shifted = text.replace("<img", "x\n<img")
    [pixel] = [f for f in lint_text(shifted, POLICY) if f.rule == "tracking-pixel"]
    assert (pixel.line, pixel.suppressed) == (7, None)


def unknown_directives(text: str, path: str = "a.md") -> list[tuple]:
    return [
        (f.line, f.column, f.end_line, f.end_column, f.message)
        for f in lint_text(text, POLICY, path=path)
        if f.rule == "directive-unknown"
    ]


PIXEL = '<img src="https://t.example/p.gif" width="1" height="1">'


def test_a_misspelt_directive_is_flagged_and_suppresses_nothing():
    """`adlint-disable-lines` used to read as `adlint-disable` with a rule id `-lines`: it
    silenced its rules to the end of the file."""
    text = f"---\ntitle: t\n---\n<!--  adlint-disable-lines tracking-pixel -->\n{PIXEL}\n{PIXEL}\n"
    assert unknown_directives(text) == [
        (
            4,
            7,
            4,
            27,
            'Unknown directive "adlint-disable-lines" (did you mean "adlint-disable-line"?); '
            "it suppresses nothing",
        )
    ]
    pixels = [f for f in lint_text(text, POLICY) if f.rule == "tracking-pixel"]
    assert [(f.line, f.suppressed) for f in pixels] == [(5, None), (6, None)]
    assert unknown(text) == []  # its words are no rule ids of a directive


def test_unknown_directive_words_in_an_html_page_with_crlf_lines():
    text = (
        "<html><body>\r\n"
        "<p>Intro</p><!--\tadlint-ignore ad-unit -->\r\n"
        "<!--adlint-Enable-->\r\n"
        "</body></html>\r\n"
    )
    found = unknown_directives(text, path="page.html")
    assert [row[:4] for row in found] == [(2, 18, 2, 31), (3, 5, 3, 18)]
    # ignore/disable: the shared `adlint-` makes them close enough, and the advice is right
    assert found[0][4] == (
        'Unknown directive "adlint-ignore" (did you mean "adlint-disable"?); it suppresses nothing'
    )
    assert '(did you mean "adlint-enable"?)' in found[1][4]


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- adlint-disable -->",
        "<!-- adlint-enable -->",
        "<!-- adlint-disable-line -->",
        "<!-- adlint-disable-next-line ad-unit -->",
        "<!-- adlint-disable--no space before the reason -->",
        "<!-- adlint-disable-next-line:ad-unit -->",
        "<!-- expect: adlint-ignore -->",  # the word must open the comment
        "<!-- adlint -->",
    ],
)
def test_directives_and_other_comments_are_no_unknown_directive(comment: str):
    assert unknown_directives(f"Text.\n{comment}\nMore text.\n") == []


def test_unknown_directive_words_inside_code_are_not_flagged():
    assert unknown_directives("```html\n<!-- adlint-disable-lines -->\n```\n") == []


def test_an_id_repeated_in_one_comment_is_reported_once():
    text = "<!-- adlint-disable " + "a," * 100_000 + " -->\nx\n"
    assert [row[:4] for row in unknown(text)] == [(1, 21, 1, 22)]


def test_a_comment_reads_only_its_first_100_ids():
    names = [f"zz{n}" for n in range(150)]
    text = "Intro\n\n<!-- adlint-disable " + ",".join(names) + " -->\n"
    found = unknown(text)
    assert len(found) == MAX_RULE_IDS == 100
    assert found[-1][4] == 'adlint-disable names unknown rule "zz99"'


def test_ids_past_the_first_100_suppress_nothing():
    pixel = '<img src="https://imp.pxf.io/i/1/2/3" width="1" height="1">'
    ids = ",".join(["affiliate-link"] * 100 + ["tracking-pixel"])
    text = f"<!-- adlint-disable-next-line {ids} -->\n{pixel}\n"
    [finding] = [f for f in lint_text(text, POLICY, path="a.md") if f.rule == "tracking-pixel"]
    assert finding.suppressed is None
