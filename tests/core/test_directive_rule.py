"""The `directive` kind (rule directive-unknown-rule): directives naming no rule of the policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.config import load_config
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
        "<!-- adlint-disabled tracking-pixl -->",  # not a directive at all
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
