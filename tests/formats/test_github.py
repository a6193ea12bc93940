"""GitHub workflow commands: exact escaping, so article content can never inject a command."""

from __future__ import annotations

import os
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
    assert all(c.isprintable() for c in line) and "##[" not in line
    # Exactly one command marker: the one adlint wrote at the start.
    assert line.startswith("::error ") and line.count("::") == 2 + hostile.count("::")


def test_control_characters_in_the_message_become_replacement_characters():
    line = annotation(finding("a.md", "javascript:alert(1)\x1b[31mRED\x9b0m\u202e\r\n\t"))
    assert line.endswith("::javascript:alert(1)\ufffd[31mRED\ufffd0m\ufffd\ufffd\ufffd\ufffd")


def test_legacy_command_marker_is_broken_in_the_file_and_the_message():
    line = annotation(finding("##[error]a.md", "https://x.example/?h=##[group]x"))
    assert line == (
        "::error file=# #[error]a.md,line=3,endLine=3,col=5,endColumn=20,"
        "title=adlint affiliate-link::https://x.example/?h=# #[group]x"
    )


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


def test_hostile_file_names_and_articles_give_exact_inert_annotations(tmp_path: Path, monkeypatch):
    """The trial's inputs: an ESC in a file name that is not UTF-8, an ESC sequence and
    `##[` in URLs. Every byte they control is printable and escaped in the annotations."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / os.fsdecode(b"bad\xff\x1b[2Jname.md")).write_text(
        '<a href="javascript:x()">y</a>\n'
    )
    (tmp_path / "##[error]h,%::x.md").write_text(
        '<a href="https://www.amazon.com/dp/B0?tag=x-20&h=##[error]bad">x</a>\n'
        '<a href="javascript:alert(1)\x1b[31mRED\x1b[0m">y</a>\n'
    )
    argv = ["check", "-j1", "--no-config", "--no-cache", "--format", "github", "-o", "out"]
    assert main([*argv, "--select", "javascript-link,affiliate-rel-missing", "."]) == 0
    assert (tmp_path / "out").read_bytes().decode("utf-8").splitlines() == [
        "::warning file=# #[error]h%2C%25%3A%3Ax.md,line=1,endLine=1,col=1,endColumn=64,"
        "title=adlint affiliate-rel-missing::Amazon Associates affiliate link without "
        'rel="sponsored": https://www.amazon.com/dp/B0?tag=x-20&h=# #[error]bad',
        "::warning file=# #[error]h%2C%25%3A%3Ax.md,line=2,endLine=2,col=10,endColumn=41,"
        "title=adlint javascript-link::Link runs JavaScript instead of going somewhere: "
        "javascript:alert(1)\ufffd[31mRED\ufffd[0m",
        "::warning file=bad\\xff\ufffd[2Jname.md,line=1,endLine=1,col=10,endColumn=24,"
        "title=adlint javascript-link::Link runs JavaScript instead of going somewhere: "
        "javascript:x()",
    ]


def test_text_output_shows_the_same_hostile_input_without_escapes(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / os.fsdecode(b"bad\xff\x1b[2Jname.md")).write_text(
        '<a href="javascript:alert(1)\x1b[31mRED\x1b[0m">y</a>\n'
    )
    argv = ["check", "-j1", "--no-config", "--no-cache", "--color", "always", "-o", "out", "."]
    assert main(argv) == 0
    text = (tmp_path / "out").read_bytes().decode("utf-8")
    assert re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()[:2] == [
        "bad\\xff\ufffd[2Jname.md",
        "  1:10      warning  Link runs JavaScript instead of going somewhere: "
        "javascript:alert(1)\ufffd[31mRED\ufffd[0m  javascript-link",
    ]
    # Only adlint's own colour codes reach the terminal: each ESC opens an SGR sequence.
    assert text.count("\x1b") == len(re.findall(r"\x1b\[[0-9;]*m", text))
