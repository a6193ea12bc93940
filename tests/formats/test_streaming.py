"""Streaming outputs: path order, SARIF's cap from bounded state, the bounded worst files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.discover import Target
from adlint.formats import RunInfo, Tally
from adlint.formats.sarif import SarifWriter
from adlint.outcome import Outcome, lint_outcome, merge_parts
from adlint.policy import load_default_policy

POLICY = load_default_policy()
PIXEL = '<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'


def deal(number: int) -> str:
    return f"[deal {number}](https://www.amazon.com/dp/B0{number:08}?tag=pub-20)\n"


def outcome_of(tmp_path: Path, name: str, text: str) -> Outcome:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint_outcome(Target(path, name), POLICY)


def test_walk_order_is_not_path_order_but_output_is_sorted_by_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a-b").mkdir()
    for name in ("a/z.md", "a/b/c.md", "a-b/d.md", "a.md"):
        (tmp_path / name).write_text(deal(1))
    main(["check", "--format", "json", "-j1", "."])
    paths = [f["path"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert list(dict.fromkeys(paths)) == ["a-b/d.md", "a.md", "a/b/c.md", "a/z.md"]


def test_a_file_named_twice_interleaves_like_one_sorted_list(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(deal(1) + deal(2))
    main(["check", "--format", "json", "-j2", "post.md", "post.md"])
    document = json.loads(capsys.readouterr().out)
    keys = [(f["line"], f["column"], f["rule"]) for f in document["findings"]]
    assert keys == sorted(keys) and len(keys) == 2 * len(set(keys))
    assert document["summary"]["files"] == 2


def test_coalesced_fingerprints_count_occurrences_across_both_copies(tmp_path: Path):
    once = outcome_of(tmp_path, "post.md", deal(1))
    merged = merge_parts([once, once])
    assert merged.targets == 2
    assert len(set(merged.fingerprints)) == len(merged.fingerprints) == 2 * len(once.findings)


def sarif_of(outcomes: list[Outcome], max_results: int) -> dict:
    stream = io.StringIO()
    writer = SarifWriter(stream, max_results=max_results)
    writer.begin(RunInfo(rules=POLICY.rules))
    for outcome in outcomes:
        writer.file(outcome)
    writer.end()
    return json.loads(stream.getvalue())


@pytest.mark.parametrize("cap", [1, 3, 7, 20])
def test_sarif_cap_keeps_the_most_severe_then_first_results_in_path_order(tmp_path, cap):
    outcomes = [
        outcome_of(tmp_path, f"p{n}.md", deal(n) * (n % 3 + 1) + PIXEL * (n % 2)) for n in range(6)
    ]
    everything = [f for o in outcomes for f in o.findings]
    ranked = sorted(everything, key=lambda f: (-f.severity.rank, f.sort_key()))
    expected = sorted(ranked[:cap], key=lambda f: f.sort_key())
    run = sarif_of(outcomes, cap)["runs"][0]
    got = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        )
        for r in run["results"]
    ]
    assert got == [f.sort_key() for f in expected]
    dropped = len(everything) - len(expected)
    assert len(everything) > 20 >= cap
    assert run["properties"] == {"droppedResults": dropped}
    assert str(dropped) in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_under_the_cap_has_no_dropped_results(tmp_path: Path):
    run = sarif_of([outcome_of(tmp_path, "post.md", deal(1))], 25_000)["runs"][0]
    assert "properties" not in run and len(run["results"]) == 3


def test_worst_files_are_bounded_and_ties_keep_path_order(tmp_path: Path):
    tally = Tally(worst_files=2)
    counts = {"a.md": 1, "b.md": 3, "c.md": 1, "d.md": 3, "e.md": 0}
    for name, count in counts.items():
        tally.add(outcome_of(tmp_path, name, "We earn commissions.\n\n" + PIXEL * count))
    assert tally.worst() == [("b.md", 3), ("d.md", 3)]
    assert tally.files == 5 and tally.by_severity["warning"] == 8
