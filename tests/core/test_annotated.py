"""Semgrep-style annotated fixtures: every expected finding is marked, nothing else may fire.

Each file in tests/fixtures/rules/ is an article. `<!-- expect: rule[, rule] -->` says the
next line must have a finding of each named rule; `<!-- ok: rule -->` documents a line that
must not (any unmarked finding fails anyway). `<!-- rules: a, b -->` names the rules the
fixture is about; by default it is the rule named by the file stem. Annotations are plain
HTML comments: adlint's own directives all start with `adlint-`, so these never suppress.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adlint.config import load_config
from adlint.discover import Target
from adlint.engine import lint_target

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
_EXPECT = re.compile(rb"<!--\s*expect:\s*([a-z0-9, -]+?)\s*(?:--.*?)?-->")
_RULES = re.compile(rb"<!--\s*rules:\s*([a-z0-9, -]+?)\s*-->")


def _names(raw: bytes) -> set[str]:
    return {name.strip() for name in raw.decode().split(",") if name.strip()}


def annotations(path: Path) -> tuple[set[str], set[tuple[int, str]]]:
    """The rules a fixture is about, and the (line, rule) pairs it expects."""
    data = path.read_bytes()
    header = _RULES.search(data)
    rules = _names(header.group(1)) if header else {path.stem}
    expected = set()
    for number, line in enumerate(data.splitlines(), start=1):
        for match in _EXPECT.finditer(line):
            expected |= {(number + 1, rule) for rule in _names(match.group(1))}
    return rules, expected


@pytest.mark.parametrize(
    "fixture",
    sorted(p for p in FIXTURES.iterdir() if p.suffix in (".md", ".html")),
    ids=lambda p: p.name,
)
def test_fixture_findings_match_annotations(fixture: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(FIXTURES)
    policy, config = load_config(config=None, policies=[], cwd=FIXTURES)
    assert config == FIXTURES / ".adlint.yaml"
    rules, expected = annotations(fixture)
    assert expected or b"<!-- ok:" in fixture.read_bytes(), "a fixture must annotate something"
    findings = lint_target(Target(fixture, fixture.name), policy)
    actual = {(f.line, f.rule) for f in findings if f.rule in rules and f.suppressed is None}
    assert actual - expected == set(), "unexpected findings (false positives)"
    assert expected - actual == set(), "missing findings (false negatives)"


def test_every_default_rule_has_an_annotated_fixture():
    covered: set[str] = set()
    for fixture in FIXTURES.iterdir():
        if fixture.suffix in (".md", ".html"):
            covered |= {rule for _, rule in annotations(fixture)[1]}
    static_rules = {
        "affiliate-link",
        "affiliate-rel-missing",
        "affiliate-disclosure-missing",
        "affiliate-id-unknown",
        "ad-unit",
        "ad-density",
        "ad-client-unknown",
        "tracking-pixel",
        "parse-error",
        "javascript-link",
        "autoplay-with-sound",
        "large-sticky-ad",
    }
    assert static_rules <= covered
