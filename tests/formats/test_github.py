"""GitHub workflow commands: exact escaping, so article content can never inject a command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adlint.cli import main
from adlint.finding import Finding, Severity
from adlint.formats.github import annotation, escape_data, escape_property


def finding(path: str, message: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(path, 3, 5, 3, 20, "affiliate-link", severity, message)


def test_escape_data_encodes_percent_cr_and_lf():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"


def test_escape_property_also_encodes_colon_and_comma():
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_has_every_position_property():
    line = annotation(finding("posts/a.md", "Affiliate link", Severity.WARNING))
    assert line == (
        "::warning file=posts/a.md,line=3,endLine=3,col=5,endColumn=20,"
        "title=adlint affiliate-link::Affiliate link"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/\n::add-mask::secret",
        "https://evil.example/?x=%0A::set-output name=a::b",
        "link\r\n::error::forged",
        "https://x.example/#::stop-commands::tok",
        "##[error]legacy command",
    ],
)
def test_hostile_message_stays_one_inert_line(hostile: str):
    line = annotation(finding("a.md", f"Affiliate link: {hostile}"))
    assert "\n" not in line and "\r" not in line
    # Exactly one command marker: the one adlint wrote at the start.
    assert line.startswith("::error ") and line.count("::") == 2 + hostile.count("::")
    data = line.split("::", 2)[2]
    assert "%0A" in data or "\n" not in hostile


@pytest.mark.parametrize("name", ["a,line=1.md", "x::error::y.md", "new\nline.md", "50%.md"])
def test_hostile_file_name_cannot_break_the_properties(name: str):
    line = annotation(finding(name, "m"))
    properties = line[len("::error ") : line.index("::", 2)]
    assert properties.count(",line=") == 1 and properties.count(",endLine=") == 1
    assert re.search(r"file=([^,]*),line=3,", properties)
    assert "\n" not in line


def test_github_format_and_step_summary_from_one_run(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(
        "[deal](https://www.amazon.com/dp/B0X?tag=someone-20)\n"
        '<img src="https://tracker.example/p.gif?u=1" width="1" height="1">\n'
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["check", "post.md", "--output-sarif", "out.sarif"])
    out = capsys.readouterr().out
    assert code == 1
    assert "::error file=post.md,line=1,endLine=1,col=8,endColumn=52," in out
    assert (tmp_path / "out.sarif").is_file()
    text = summary.read_text()
    assert "| affiliate-disclosure-missing | error | 1 |" in text
    assert "https://" not in text and "<img" not in text
