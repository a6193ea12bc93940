"""Counts read as English: `1 file`, `0 files`, `1 error`, in every message and report."""

from __future__ import annotations

from pathlib import Path

import pytest

from adlint.cli import main
from adlint.formats import counted

DIRTY = "We sell stuff.\n\n[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
PIXEL = '<p>Hi</p>\n<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "post.md").write_text(DIRTY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 files"), (1, "1 file"), (2, "2 files"), (11, "11 files")]
)
def test_counted_is_singular_only_for_one(count: int, expected: str):
    assert counted(count, "file") == expected


def test_baseline_says_one_file(site: Path, capsys):
    assert main(["baseline", "post.md"]) == 0
    assert capsys.readouterr().out == (
        "adlint: wrote 3 findings from 1 file to .adlint-baseline.json\n"
    )


def test_fix_says_one_finding_in_one_file(site: Path, capsys):
    (site / "pixel.html").write_text(PIXEL)
    assert main(["fix", "--diff", "pixel.html"]) == 1
    assert capsys.readouterr().err == "adlint: would fix 1 finding in 1 file\n"


def test_markdown_report_says_one_file_and_one_error(site: Path, capsys):
    assert main(["report", "post.md", "--format", "markdown"]) == 0
    assert "**1 file audited · 0 compliant (0%)** · 1 error · 1 warning · " in (
        capsys.readouterr().out
    )


def test_html_report_says_one_file_in_byline_cards_and_histogram(site: Path, capsys):
    assert main(["report", "post.md", "-o", "r.html"]) == 0
    html = (site / "r.html").read_text()
    assert '<p class="meta">1 file audited · ' in html
    assert '<div class="label">file audited</div>' in html
    assert '<div class="label">error</div>' in html
    assert "<title>no ads: 1 file</title>" in html


def test_step_summary_says_one_file_and_one_error(site: Path, monkeypatch, capsys):
    summary = site / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", "post.md", "--format", "github"]) == 1
    assert "1 file checked: **1 error**, 1 warning, 1 info." in summary.read_text()
