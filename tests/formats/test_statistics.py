"""`--statistics` / `--format statistics`: findings and files per rule instead of every line.

Counts are checked two ways: by hand on a tiny site, and against the JSON output of the
same run (a different writer) on the fixture set.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from adlint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LINK = "[deal](https://www.amazon.com/dp/B0{n}?tag=someone-20)"
DISCLOSED = "We earn a commission when you buy through links on this page.\n\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # a.md: two undisclosed links; b.md: one disclosed link; c.md: a suppressed disclosure.
    (tmp_path / "a.md").write_text(f"Deals.\n\n{LINK.format(n=1)} and {LINK.format(n=2)}\n")
    (tmp_path / "b.md").write_text(DISCLOSED + LINK.format(n=3) + "\n")
    directive = "<!-- adlint-disable affiliate-disclosure-missing -- sister site -->\n"
    (tmp_path / "c.md").write_text(directive + LINK.format(n=4) + "\n")
    return tmp_path


def rows(out: str) -> dict[str, tuple[int, int, str, str]]:
    """rule -> (findings, files, severity, fixable) from the table; the header checked."""
    lines = out.splitlines()
    assert lines[0].split() == ["findings", "files", "severity", "rule", "fixable"]
    table = {}
    for line in lines[1:-1]:
        cells = line.split()
        fixable = cells[4] if len(cells) > 4 else ""
        table[cells[3]] = (int(cells[0]), int(cells[1]), cells[2], fixable)
    return table


def test_counts_findings_and_files_per_rule_leaving_suppressed_out(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--no-cache", "-j", "1", "--statistics", "."])
    out = capsys.readouterr().out
    assert code == 1  # the undisclosed links are errors, as without --statistics
    assert rows(out) == {
        "affiliate-link": (4, 3, "info", ""),
        "affiliate-rel-missing": (4, 3, "warning", "yes"),
        "affiliate-disclosure-missing": (1, 1, "error", "yes"),
    }
    assert list(rows(out)) == [
        "affiliate-link",
        "affiliate-rel-missing",
        "affiliate-disclosure-missing",
    ]
    assert out.splitlines()[-1] == (
        "1 error, 4 warnings, 4 info in 3 files (1 suppressed); fails at --fail-on error."
    )


def test_agrees_with_the_json_output_of_the_same_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    argv = ["check", "--no-cache", "--no-config", "fixtures", "--also", "json:out.json"]
    assert main([*argv, "--format", "statistics"]) in (0, 1)
    table = rows(capsys.readouterr().out)
    active = [f for f in json.loads(Path("out.json").read_text())["findings"]]
    active = [f for f in active if not f.get("suppressed")]
    findings = Counter(f["rule"] for f in active)
    files = Counter(rule for rule, _ in {(f["rule"], f["path"]) for f in active})
    assert len(findings) > 5  # the fixtures fire many rules
    assert {rule: (n, files[rule]) for rule, n in findings.items()} == {
        rule: row[:2] for rule, row in table.items()
    }
    counts = [row[0] for row in table.values()]
    assert counts == sorted(counts, reverse=True)


def test_a_file_named_twice_counts_twice_as_in_the_summary(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--no-cache", "-j", "1", "--statistics", "a.md", "./a.md"]) == 1
    table = rows(capsys.readouterr().out)
    assert table["affiliate-link"][:2] == (4, 2)


def test_statistics_and_another_format_is_a_usage_error(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--statistics", "--format", "json", "."]) == 2
    err = capsys.readouterr().err
    assert err == "adlint: error: argument --statistics: not allowed with --format json\n"


def test_clean_run_prints_only_the_summary(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "clean.md").write_text("Nothing to sell.\n")
    assert main(["check", "--no-cache", "--statistics", "clean.md"]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings, 0 info in 1 file; passes.\n"
