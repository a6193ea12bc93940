"""`--format parsable`: one `path:line:column: severity: message [rule]` line per active
finding, nothing else, so editors' error formats and `grep` read every line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adlint.cli import main

URL = "https://www.amazon.com/dp/B01?tag=me-20"
ARTICLE = f"""---
title: Gear
---
Our picks: [deal]({URL})

<!-- adlint-disable-next-line affiliate-link -- reviewed -->
Again: [deal](https://www.amazon.com/dp/B02?tag=me-20)
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.md").write_text(ARTICLE)
    (tmp_path / "a.md").write_text("Plain prose, nothing to report.\n")
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["check", "--no-cache", "--no-config", *argv])
    return code, capsys.readouterr().out


def test_each_active_finding_is_one_line_in_json_order(site: Path, capsys):
    code, out = run(capsys, "--format", "parsable", ".")
    _, report = run(capsys, "--format", "json", ".")
    active = [f for f in json.loads(report)["findings"] if "suppressed" not in f]
    expected = [
        f"{f['path']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']} [{f['rule']}]"
        for f in active
    ]
    assert out.splitlines() == expected
    assert code == 1 and len(active) >= 3  # disclosure error, rel warning, two link infos
    suppressed = [f for f in json.loads(report)["findings"] if "suppressed" in f]
    assert [f["line"] for f in suppressed] == [7]
    assert not any(
        line.startswith("b.md:7:") and line.endswith("[affiliate-link]")
        for line in out.splitlines()
    )


def test_the_line_names_the_urls_own_position(site: Path, capsys):
    _, out = run(capsys, "--format", "parsable", "--select", "affiliate-link", "b.md")
    line = ARTICLE.splitlines()[3]
    assert out == (
        f"b.md:4:{line.index(URL) + 1}: info: Amazon Associates affiliate link "
        f"(affiliate ID me-20): {URL} [affiliate-link]\n"
    )


def test_a_clean_run_prints_nothing_and_passes(site: Path, capsys):
    assert run(capsys, "--format", "parsable", "a.md") == (0, "")


def test_also_writes_it_to_a_file(site: Path, capsys):
    _, out = run(capsys, "--format", "parsable", ".")
    run(capsys, "--format", "json", "--also", "parsable:out.txt", ".")
    assert (site / "out.txt").read_text() == out


def test_control_characters_in_article_text_cannot_reach_the_terminal(site: Path, capsys):
    (site / "c.html").write_text(
        '<a href="https://www.amazon.com/dp/B03?tag=me-20\u202e\x1b[2J">x</a>'
    )
    _, out = run(capsys, "--format", "parsable", "c.html")
    assert out and "\x1b" not in out and "\u202e" not in out and "\ufffd" in out
